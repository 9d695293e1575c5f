package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.skychat.support.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web UI in a real headless Chromium against two whole nodes linked by TCP-direct on loopback: Alice
 * signs in with her node's token and writes to Bob, whose UI shows the message as it arrives, while her
 * tick climbs to received and read. Each page is photographed into {@code target/ui-screenshots/}.
 * Skipped, saying why, on a machine without Chromium and its driver.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path work;
    static Node alice;
    static Node bob;
    static ChromeDriverService service;
    static WebDriver aliceBrowser;
    static WebDriver bobBrowser;

    /** Why the browser cannot run here, or null when it can. */
    static String missing;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> chromium = executable("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = executable("chromedriver");
        if (chromium.isEmpty() || driver.isEmpty()) {
            missing = "web UI tests skipped: no " + (chromium.isEmpty() ? "chromium" : "chromedriver")
                    + " on PATH (Debian: apt-get install chromium chromium-driver; .ci/run installs them)";
            org.slf4j.LoggerFactory.getLogger(WebUiIntegrationTests.class).warn(missing);
            return;
        }
        alice = Node.start(work.resolve("a"), "--standalone", "--sk", ALICE_SK, "--tcp-listen", "127.0.0.1:0");
        bob = Node.start(work.resolve("b"), "--standalone", "--sk", BOB_SK,
                "--tcp-peer", "tcp://" + ALICE_PK + "@127.0.0.1:" + alice.tcpPort());
        await().atMost(WAIT).until(() -> linked(alice) && linked(bob));
        service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort().build();
        service.start();
        aliceBrowser = browser(chromium.get(), work.resolve("profile-a"));
        bobBrowser = browser(chromium.get(), work.resolve("profile-b"));
        Files.createDirectories(SCREENSHOTS);
    }

    @BeforeEach
    void needsABrowser() {
        Assumptions.assumeTrue(missing == null, () -> missing); // each test reports itself skipped, and why
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {
                () -> quit(aliceBrowser), () -> quit(bobBrowser), () -> { if (service != null) service.stop(); },
                () -> { if (bob != null) bob.close(); }, () -> { if (alice != null) alice.close(); } }) {
            try {
                c.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    private static void quit(WebDriver browser) {
        if (browser != null) {
            browser.quit();
        }
    }

    private static boolean linked(Node node) {
        String body = node.http().get().uri("/status").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body).path("active_peer_conns").asInt() == 1;
    }

    private static Optional<Path> executable(String... names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : names) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static WebDriver browser(Path chromium, Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1100,760",
                "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }

    private static WebElement visible(WebDriver browser, String css) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> {
            WebElement e = browser.findElement(By.cssSelector(css));
            return e.isDisplayed() ? e : null;
        }, e -> e != null);
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Path shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void signIn(WebDriver browser, Node node) {
        browser.get(node.baseUrl() + "/");
        visible(browser, "#signin-token").sendKeys(node.token());
        browser.findElement(By.id("signin-submit")).click();
        visible(browser, "#view-conversations");
    }

    private static void openConversation(WebDriver browser, String peer) {
        visible(browser, "#new-peer").sendKeys(peer);
        browser.findElement(By.cssSelector("#new-conversation button[type=submit]")).click();
        visible(browser, "#view-chat");
        await().atMost(WAIT).until(() -> browser.findElement(By.id("chat-peer")).getText().equals(peer));
    }

    /** The delivery state shown on the outgoing message with this text; read in one go, as ticks repaint. */
    private static String statusOf(WebDriver browser, String text) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const li = [...document.querySelectorAll('#messages li.msg.out')]"
                        + ".find(e => e.querySelector('.text').textContent === arguments[0]);"
                        + "return li ? li.dataset.status : null;", text);
    }

    @Test
    @Order(1)
    void aWrongTokenIsRefusedWithAVisibleError() throws IOException {
        aliceBrowser.get(alice.baseUrl() + "/");
        WebElement field = visible(aliceBrowser, "#signin-token");
        screenshot(aliceBrowser, "sign-in");
        field.sendKeys("not-the-token");
        aliceBrowser.findElement(By.id("signin-submit")).click();
        WebElement error = visible(aliceBrowser, "#signin-error");
        assertThat(error.getText()).startsWith("Sign-in refused:").contains("not this service's API token");
        assertThat(aliceBrowser.findElement(By.id("view-conversations")).isDisplayed()).isFalse();
        assertThat(aliceBrowser.manage().getCookieNamed("skychat_session")).isNull();
        screenshot(aliceBrowser, "sign-in-refused");
    }

    @Test
    @Order(2)
    void aMessageSentInOneBrowserAppearsLiveInTheOtherAndItsTickClimbs() throws IOException {
        signIn(bobBrowser, bob);
        openConversation(bobBrowser, ALICE_PK);
        signIn(aliceBrowser, alice);
        assertThat(aliceBrowser.manage().getCookieNamed("skychat_session").isHttpOnly()).isTrue();
        assertThat(aliceBrowser.getCurrentUrl()).doesNotContain(alice.token());
        openConversation(aliceBrowser, BOB_PK);

        String text = "hello Bob, from a browser";
        WebElement composer = visible(aliceBrowser, "#composer-text");
        composer.sendKeys(text);
        composer.sendKeys(Keys.ENTER);

        await().atMost(WAIT).until(() -> List.of("received", "read").contains(statusOf(aliceBrowser, text)));
        await().atMost(WAIT).until(() -> bobBrowser.findElements(By.cssSelector("#messages li.msg.in .text"))
                .stream().anyMatch(e -> e.getText().equals(text)));
        // Bob has the conversation open, so his UI tells Alice's node it was read.
        await().atMost(WAIT).until(() -> "read".equals(statusOf(aliceBrowser, text)));
        assertThat(aliceBrowser.findElement(By.cssSelector("#messages li.msg.out[data-status=read] .tick"))
                .getDomAttribute("aria-label")).isEqualTo("read");
        screenshot(aliceBrowser, "conversation-sender");
        screenshot(bobBrowser, "conversation-recipient");
    }

    @Test
    @Order(3)
    void aMessageForAClosedConversationCountsAsUnreadInTheList() throws IOException {
        bobBrowser.findElement(By.cssSelector("a.back")).click();
        visible(bobBrowser, "#view-conversations");
        String text = "are you there?";
        WebElement composer = visible(aliceBrowser, "#composer-text");
        composer.sendKeys(text);
        composer.sendKeys(Keys.ENTER);
        WebElement badge = await().atMost(WAIT).ignoreExceptions().until(() -> bobBrowser.findElement(
                By.cssSelector("li.conversation[data-peer='" + ALICE_PK + "'] .unread")), e -> e.isDisplayed());
        assertThat(badge.getText()).isEqualTo("1");
        await().atMost(WAIT).until(() -> "received".equals(statusOf(aliceBrowser, text)));
        screenshot(bobBrowser, "conversations");

        bobBrowser.findElement(By.cssSelector("li.conversation[data-peer='" + ALICE_PK + "'] a")).click();
        await().atMost(WAIT).until(() -> "read".equals(statusOf(aliceBrowser, text)));
    }

    @Test
    @Order(4)
    void aRefusedSendIsMarkedFailedAndCanBeResent() throws IOException {
        String text = "this one needs a second try";
        new org.openqa.selenium.support.ui.Select(aliceBrowser.findElement(By.id("composer-network")))
                .selectByValue("dmsg"); // a standalone node without --dmsg has no such network
        WebElement composer = visible(aliceBrowser, "#composer-text");
        composer.sendKeys(text);
        composer.sendKeys(Keys.ENTER);
        await().atMost(WAIT).until(() -> "failed".equals(statusOf(aliceBrowser, text)));
        assertThat(visible(aliceBrowser, "#chat-error").getText()).startsWith("Not sent:");
        screenshot(aliceBrowser, "conversation-failed");

        new org.openqa.selenium.support.ui.Select(aliceBrowser.findElement(By.id("composer-network")))
                .selectByValue("auto");
        aliceBrowser.findElement(By.cssSelector("#messages li.msg.out[data-status=failed] button.resend")).click();
        await().atMost(WAIT).until(() -> List.of("received", "read").contains(statusOf(aliceBrowser, text)));
        assertThat(aliceBrowser.findElements(By.cssSelector("#messages li.msg.out[data-status=failed]"))).isEmpty();
        await().atMost(WAIT).until(() -> bobBrowser.findElements(By.cssSelector("#messages li.msg.in .text"))
                .stream().anyMatch(e -> e.getText().equals(text)));
    }

    @Test
    @Order(5)
    void theStatusPageShowsTheNode() throws IOException {
        aliceBrowser.findElement(By.cssSelector("[data-nav=status]")).click();
        await().atMost(WAIT).ignoreExceptions().until(() -> aliceBrowser.findElement(
                By.cssSelector("#status-list dd[data-key=visor_pk]")).getText().equals(ALICE_PK));
        assertThat(aliceBrowser.findElement(By.cssSelector("#status-list dd[data-key=peers]")).getText())
                .isEqualTo(BOB_PK);
        assertThat(aliceBrowser.findElement(By.id("panel-groups")).isDisplayed()).isFalse();
        Object errors = ((JavascriptExecutor) aliceBrowser).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".filter(n => !n.startsWith(location.origin)).length");
        assertThat(errors).as("resources loaded from elsewhere").isEqualTo(0L);
        screenshot(aliceBrowser, "status");
    }

    @Test
    @Order(6)
    void signingOutReturnsToTheSignInPage() {
        aliceBrowser.findElement(By.id("sign-out")).click();
        visible(aliceBrowser, "#view-signin");
        aliceBrowser.navigate().refresh();
        visible(aliceBrowser, "#view-signin");
        assertThat(aliceBrowser.findElement(By.id("nav")).isDisplayed()).isFalse();
    }
}
