package io.asyncflow.ingress.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Source networks allowed to call the ingress, as IPv4 and IPv6 CIDR blocks. An empty list allows
 * every source. Addresses are compared as bytes; an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d})
 * counts as its IPv4 address. Only literal addresses are parsed: nothing here resolves a name.
 *
 * <p>Kept rather than the IPAddress library ({@code com.github.seancfoley:ipaddress}, evaluated for
 * issue #19): it parses far more forms (ranges, wildcards, zones, names) than an allowlist should
 * accept, so we would still validate the input ourselves; the check itself is a byte-prefix
 * comparison on {@link java.net.InetAddress#getByAddress}-style literals, tested in {@code CidrAllowlistTest}.
 */
public final class CidrAllowlist {
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private final List<Block> blocks;

    private CidrAllowlist(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** Parses blocks such as {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address. */
    public static CidrAllowlist parse(List<String> cidrs) {
        return new CidrAllowlist(cidrs.stream().map(Block::parse).toList());
    }

    public boolean allowsAny() {
        return blocks.isEmpty();
    }

    /** True when {@code address} (a literal IP, brackets allowed) lies in one of the blocks. */
    public boolean allows(String address) {
        if (blocks.isEmpty()) {
            return true;
        }
        return literal(address).map(ip -> blocks.stream().anyMatch(b -> b.contains(ip))).orElse(false);
    }

    static Optional<InetAddress> literal(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        int zone = bare.indexOf('%');
        if (zone >= 0) {
            bare = bare.substring(0, zone);
        }
        if (bare.isEmpty() || !LITERAL.matcher(bare).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(bare));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "any" : blocks.toString();
    }

    private record Block(byte[] network, int prefix, String text) {
        static Block parse(String cidr) {
            int slash = cidr.indexOf('/');
            String address = slash < 0 ? cidr : cidr.substring(0, slash);
            InetAddress ip = literal(address)
                    .orElseThrow(() -> new IllegalArgumentException("'" + cidr + "' is not an IPv4 or IPv6 CIDR block"));
            byte[] bytes = ip.getAddress();
            int max = bytes.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + cidr + "' has a prefix length outside 0.." + max);
            }
            return new Block(bytes, prefix, cidr);
        }

        boolean contains(InetAddress ip) {
            byte[] candidate = ip.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (candidate[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
