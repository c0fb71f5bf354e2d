package io.rotor.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium from the machine's packages (Debian's chromium and chromium-driver), never a downloaded one.
 * Without them the browser test is skipped on a developer's machine, and fails in CI ({@code -Drequire.browser=true}).
 */
final class Browser {

    static final Path CHROMIUM = Path.of(System.getProperty("rotor.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("rotor.chromedriver", "/usr/bin/chromedriver"));

    private Browser() {
    }

    static ChromeDriver start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String why = "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver)";
        if (!present && Boolean.getBoolean("require.browser")) {
            throw new IllegalStateException(why);
        }
        Assumptions.assumeTrue(present, why);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1200",
                "--user-data-dir=" + Files.createTempDirectory("rotor-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
