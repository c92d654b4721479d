package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrAllowlistTest {

    @Test
    void shouldAllowEverySourceWhenEmpty() {
        // given an empty allowlist; then any address passes
        CidrAllowlist any = CidrAllowlist.parse(List.of());
        assertThat(any.allowsAny()).isTrue();
        assertThat(any.allows("203.0.113.7")).isTrue();
    }

    @Test
    void shouldMatchIpv4BlocksOnTheirPrefixBits() {
        // given IPv4 blocks with byte-aligned and unaligned prefixes
        CidrAllowlist list = CidrAllowlist.parse(List.of("10.0.0.0/8", "192.168.4.0/22", "198.51.100.17"));

        // then addresses inside pass and outside fail
        assertThat(list.allows("10.255.3.4")).isTrue();
        assertThat(list.allows("192.168.7.255")).isTrue();
        assertThat(list.allows("192.168.8.0")).isFalse();
        assertThat(list.allows("192.168.3.255")).isFalse();
        assertThat(list.allows("198.51.100.17")).isTrue();
        assertThat(list.allows("198.51.100.18")).isFalse();
        assertThat(list.allows("11.0.0.1")).isFalse();
    }

    @Test
    void shouldMatchIpv6BlocksAndBracketedOrZonedAddresses() {
        // given IPv6 blocks
        CidrAllowlist list = CidrAllowlist.parse(List.of("2001:db8:abcd::/48", "::1/128"));

        // then IPv6 addresses are matched in any notation, and IPv4 ones never match them
        assertThat(list.allows("2001:db8:abcd:12::1")).isTrue();
        assertThat(list.allows("[2001:0db8:abcd:0000:0000:0000:0000:0001]")).isTrue();
        assertThat(list.allows("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(list.allows("fe80::1%eth0")).isFalse();
        assertThat(list.allows("2001:db8:abce::1")).isFalse();
        assertThat(list.allows("127.0.0.1")).isFalse();
    }

    @Test
    void shouldTreatIpv4MappedIpv6AddressesAsIpv4() {
        CidrAllowlist list = CidrAllowlist.parse(List.of("127.0.0.0/8"));
        assertThat(list.allows("::ffff:127.0.0.1")).isTrue();
        assertThat(list.allows("::ffff:10.0.0.1")).isFalse();
    }

    @Test
    void shouldRefuseHostNamesAndGarbageWithoutResolvingThem() {
        CidrAllowlist list = CidrAllowlist.parse(List.of("0.0.0.0/0"));
        assertThat(list.allows("localhost")).isFalse();
        assertThat(list.allows("")).isFalse();
        assertThat(list.allows(null)).isFalse();
        assertThat(list.allows("8.8.8.8")).isTrue();
    }

    @Test
    void shouldRejectInvalidBlocksWithTheirText() {
        assertThatThrownBy(() -> CidrAllowlist.parse(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> CidrAllowlist.parse(List.of("intranet.example/8"))).hasMessageContaining("intranet.example/8");
        assertThatThrownBy(() -> CidrAllowlist.parse(List.of("::/abc"))).hasMessageContaining("prefix");
    }
}
