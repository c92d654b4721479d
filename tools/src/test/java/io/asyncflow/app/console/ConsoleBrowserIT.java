package io.asyncflow.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.app.local.LocalStack;
import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.operator.ConsoleSettings;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.pagefactory.ByChained;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real browser: Debian's headless Chromium, driven through its
 * chromedriver by Selenium, against AsyncFlow on a real (embedded) broker with the simulated Genesys
 * and databases. Log in, find a call by the last digits of its number, read its timeline, see a new
 * call appear without a reload, replay a dead letter as the operator (and see it audited), be
 * refused the replay as the read-only user, and never find a caller's number unmasked in a page.
 * Screenshots go to {@code target/console-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String GASTON = "tel:+33611111103";
    private static final String UNKNOWN = "tel:+33611111199";
    /** A number the call flow sends under a name of its own choosing, not one the masking knows. */
    private static final String CALLBACK = "+33 6 12 34 99 99";
    private static final List<String> RAW_NUMBERS = List.of("33611111103", "611111103", "33611111199", "611111199",
            "33612349999", "612349999", "6 12 34 99");
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStack stack;
    private static WebDriver browser;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> pagesSeen = new ArrayList<>();
    private static String firstCall;

    @BeforeAll
    static void start() throws IOException {
        List<ComponentKind> components = new ArrayList<>(ComponentKind.PIPELINE);
        components.add(ComponentKind.CONSOLE);
        stack = new LocalStack(LocalStack.Options.defaults(), components).start();
        browser = chromium();
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** Debian's chromium and chromedriver (or those named by the system properties), headless, with a fresh profile. */
    private static WebDriver chromium() throws IOException {
        File driver = new File(System.getProperty("asyncflow.chromedriver", "/usr/bin/chromedriver"));
        File binary = new File(System.getProperty("asyncflow.chromium", "/usr/bin/chromium"));
        assertThat(driver).as("chromedriver: install Debian's chromium-driver (.ci/run does)").canRead();
        assertThat(binary).as("chromium: install Debian's chromium (.ci/run does)").canRead();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + Files.createTempDirectory("asyncflow-chromium-"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @Test
    @Order(1)
    void shouldFindACallByTheLastDigitsOfItsNumberAndShowWhatHappened() throws Exception {
        // given a call Gaston made, which gamma answered
        String conversationId = placeCall(GASTON);
        firstCall = conversationId;
        assertThat(awaitResult(conversationId).path("status").asText()).isEqualTo("SUCCESS");

        // when the read-only user searches the last digits of his number
        logIn(ConsoleSettings.VIEWER);
        WebElement search = waitFor(By.id("search"));
        search.sendKeys("1103");
        click(By.cssSelector("tr.conversation[data-id='" + conversationId + "']"));

        // then the timeline tells the whole story: lookups per backend, the winner, the final status, the write
        waitFor(By.cssSelector(".task-status[data-status='SUCCESS']"));
        waitFor(By.cssSelector("#timeline .event[data-kind='lookup'][data-backend='gamma'][data-outcome='HIT']"));
        waitFor(By.cssSelector("#timeline .event[data-kind='lookup'][data-backend='alpha'][data-outcome='MISS']"));
        waitFor(By.cssSelector("#timeline .event[data-kind='write']"));
        waitFor(By.cssSelector("#timeline .event[data-kind='long-poll']"));
        assertThat(browser.findElement(By.id("conversation-title")).getText()).contains(conversationId);
        assertThat(browser.findElements(By.cssSelector("table.hops tr.hop"))).hasSizeGreaterThanOrEqualTo(8);
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("tel:+33").contains("callbackNumber")
                .contains("+33*******99").doesNotContain("611111103");
        page("timeline");
    }

    @Test
    @Order(2)
    void shouldShowANewConversationWithoutAReload() throws Exception {
        // given the conversations page open, with a mark in the page's JavaScript state
        logIn(ConsoleSettings.VIEWER);
        waitFor(By.cssSelector("tr.conversation"));
        ((JavascriptExecutor) browser).executeScript("window.asyncflowTestMark = 'still the same page';");

        // when a new call comes in
        String conversationId = placeCall(UNKNOWN);

        // then its row appears, and the page was not loaded again
        waitFor(By.cssSelector("tr.conversation[data-id='" + conversationId + "']"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.asyncflowTestMark;")).isEqualTo("still the same page");
        page("conversations");
    }

    @Test
    @Order(3)
    void shouldNotLetTheReadOnlyUserReplay() throws Exception {
        // given a dead letter: Genesys refuses the write of this call
        String conversationId = deadLetteredCall();

        // when the read-only user opens the dead letters
        By row = openDeadLetters(ConsoleSettings.VIEWER, conversationId);

        // then there is no replay button, and the API refuses a replay the page did not offer
        assertThat(browser.findElement(By.id("replay-button")).isDisplayed()).isFalse();
        String id = new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
                .until(b -> b.findElement(row).getAttribute("data-id"));
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/session').then(r => r.json()).then(s => fetch('/api/dead-letters/replay', {
                    method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf},
                    body: JSON.stringify({ids: [arguments[0]], confirm: true})})).then(r => done(r.status));
                """, id);
        assertThat(status).isEqualTo(403L);
        page("dead-letters-read-only");
    }

    @Test
    @Order(4)
    void shouldReplayADeadLetterAfterConfirmationAndAuditIt() throws Exception {
        // given the dead letter of a write Genesys refused, and Genesys answering again
        String conversationId = deadLetteredCall();

        // when the operator selects it, replays it and confirms
        By row = openDeadLetters(ConsoleSettings.OPERATOR, conversationId);
        click(new ByChained(row, By.cssSelector("input.select")));
        click(By.id("replay-button"));
        waitFor(By.id("replay-confirm"));
        page("replay-confirm");
        click(By.id("replay-confirm-yes"));

        // then the record goes back to the status topic and participant data is written
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("replay-result"), "Replayed 1"));
        new WebDriverWait(browser, WAIT).until(b -> stack.genesys().writesFor(conversationId).stream()
                .anyMatch(w -> "SUCCESS".equals(w.attributes().get("asyncflow.identify-caller.status"))));
        // and the audit log names the operator
        browser.get(stack.consoleUrl() + "#/audit");
        WebElement entry = waitFor(By.cssSelector("tr.audit-entry"));
        assertThat(entry.getText()).contains(ConsoleSettings.OPERATOR).contains("replay");
        page("audit");
        // and the call's timeline shows the refused write, the dead letter, the replay and the write that followed
        browser.get(stack.consoleUrl() + "#/conversation/" + conversationId);
        waitFor(By.cssSelector("#timeline .event[data-kind='replay']"));
        waitFor(By.cssSelector("#timeline .event[data-kind='write'][data-outcome='WRITTEN']"));
        waitFor(By.cssSelector("#timeline .event[data-kind='dead-letter']"));
    }

    @Test
    @Order(5)
    void shouldNeverShowACallersNumberUnmasked() throws Exception {
        // given every page once more, backends included
        logIn(ConsoleSettings.OPERATOR);
        browser.get(stack.consoleUrl() + "#/backends");
        waitFor(By.cssSelector("tr.backend[data-backend='gamma']"));
        page("backends");

        // then no page's HTML, nor any JSON answer the pages use, holds a number whole
        assertThat(pagesSeen).hasSizeGreaterThanOrEqualTo(6);
        for (String path : List.of("/api/conversations", "/api/conversations/" + firstCall, "/api/dead-letters", "/api/backends",
                "/api/audit")) {
            String body = (String) ((JavascriptExecutor) browser).executeAsyncScript(
                    "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);", path);
            assertThat(body).as(path).contains("{");
            RAW_NUMBERS.forEach(n -> assertThat(body).as(path).doesNotContain(n));
        }
    }

    @Test
    @Order(6)
    void shouldGuardEveryEndpoint() throws Exception {
        String base = stack.consoleUrl();
        // no session: pages go to the log-in page, the API answers 401; every answer carries the security headers
        HttpResponse<String> page = get(base, null);
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        HttpResponse<String> api = get(base + "api/conversations", null);
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("Content-Security-Policy")).contains(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
                        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        assertThat(api.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(get(base + "health", null).statusCode()).isEqualTo(200);
        assertThat(get(base + "assets/console.js", null).statusCode()).isEqualTo(200);
        assertThat(get(base + "assets/..%2Fpom.xml", null).statusCode()).isEqualTo(404);
        assertThat(post(base + "api/login", null, null, "{\"user\":\"operator\",\"password\":\"wrong-password\"}", null)
                .statusCode()).isEqualTo(401);

        // a session: the cookie is HttpOnly and SameSite=Strict; a POST needs the session's CSRF token and no foreign origin
        HttpResponse<String> login = post(base + "api/login", null, null, JSON.writeValueAsString(Map.of("user", ConsoleSettings.OPERATOR,
                "password", stack.consolePassword(ConsoleSettings.OPERATOR))), null);
        assertThat(login.statusCode()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = JSON.readTree(login.body()).path("csrf").asText();
        String replay = "{\"ids\":[\"99-0\"],\"confirm\":true}";
        assertThat(get(base + "api/conversations", cookie).statusCode()).isEqualTo(200);
        assertThat(post(base + "api/dead-letters/replay", cookie, null, replay, null).statusCode()).isEqualTo(403);
        assertThat(post(base + "api/dead-letters/replay", cookie, "not-the-token", replay, null).statusCode()).isEqualTo(403);
        assertThat(post(base + "api/dead-letters/replay", cookie, csrf, replay, "http://attacker.example").statusCode()).isEqualTo(403);
        assertThat(post(base + "api/dead-letters/replay", cookie, csrf, "{\"ids\":[\"99-0\"]}", null).statusCode())
                .as("not confirmed").isEqualTo(400);
        HttpResponse<String> unknown = post(base + "api/dead-letters/replay", cookie, csrf, replay, null);
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(unknown.body()).path("replayed").asInt()).isZero();
        assertThat(post(base + "api/logout", cookie, csrf, "", null).statusCode()).isEqualTo(204);
        assertThat(get(base + "api/conversations", cookie).statusCode()).as("after log-out").isEqualTo(401);
    }

    private static HttpResponse<String> get(String url, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String cookie, String csrf, String body, String origin)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs {@code user} in, opens the dead letters and waits for the row of the conversation's; returns the row's locator. */
    private static By openDeadLetters(String user, String conversationId) {
        logIn(user);
        browser.get(stack.consoleUrl() + "#/dead-letters");
        By row = By.xpath("//tr[contains(@class,'dead-letter')][.//a[text()='" + conversationId + "']]");
        waitFor(row);
        return row;
    }

    /** Logs in through the log-in page (after logging out whoever was). */
    private static void logIn(String user) {
        browser.manage().deleteAllCookies();
        browser.get(stack.consoleUrl() + "login");
        waitFor(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(stack.consolePassword(user));
        browser.findElement(By.id("login-button")).click();
        // the page goes to / on success: a look-up during that navigation is aborted, and tried again
        new WebDriverWait(browser, WAIT).ignoring(WebDriverException.class)
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("whoami"), user));
    }

    /** Clicks the element once visible; the pages re-render their lists every few seconds, so a stale element is looked up again. */
    private static void click(By by) {
        new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class).until(b -> {
            waitFor(by).click();
            return true;
        });
    }

    private static WebElement waitFor(By by) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Saves a screenshot and checks the page's HTML for caller numbers in clear. */
    private static void page(String name) throws IOException {
        String html = browser.getPageSource();
        RAW_NUMBERS.forEach(n -> assertThat(html).as("page " + name).doesNotContain(n));
        pagesSeen.add(name);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A call through the ingress as a Data Action makes it; returns its conversation id. */
    private static String placeCall(String ani) throws IOException, InterruptedException {
        String conversationId = UUID.randomUUID().toString();
        String participantId = UUID.randomUUID().toString();
        stack.genesys().registerConversation(conversationId, participantId, ani);
        String body = JSON.writeValueAsString(Map.of("conversationId", conversationId, "participantId", participantId,
                "taskType", "identify-caller", "inputs", Map.of("ani", ani, "callbackNumber", CALLBACK)));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/v1/tasks"))
                .header("Authorization", "Bearer " + stack.ingressToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return conversationId;
    }

    /** The task's final result through the ingress's long poll. */
    private static JsonNode awaitResult(String conversationId) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/v1/conversations/"
                        + conversationId + "/tasks/identify-caller?wait=10s"))
                .header("Authorization", "Bearer " + stack.ingressToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A call whose final write Genesys refuses with 400, so the sink dead-letters it; Genesys answers normally after. */
    private static String deadLetteredCall() throws Exception {
        long before = stack.genesys().failedOnPurpose();
        stack.genesys().failApiCalls(400, 0);
        try {
            String conversationId = placeCall(GASTON);
            assertThat(awaitResult(conversationId).path("status").asText()).isEqualTo("SUCCESS");
            long giveUp = System.nanoTime() + WAIT.toNanos();
            while (stack.genesys().failedOnPurpose() == before && System.nanoTime() < giveUp) {
                Thread.sleep(20);
            }
            assertThat(stack.genesys().failedOnPurpose()).as("Genesys refused the write").isGreaterThan(before);
            return conversationId;
        } finally {
            stack.genesys().clearApiFailures();
        }
    }
}
