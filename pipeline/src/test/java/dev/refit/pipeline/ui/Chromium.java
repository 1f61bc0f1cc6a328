package dev.refit.pipeline.ui;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Test kit: Debian's headless Chromium driven by its chromedriver ({@code apt-get install
 * chromium chromium-driver}, done by {@code scripts/install-deps}). Missing, it fails the test
 * under {@code CI=true} and skips it otherwise.
 */
final class Chromium {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  /** Selenium warns that it has no DevTools bindings for a newer Chromium; the tests use none. */
  private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  private Chromium() {}

  /** A headless browser; the caller quits it. */
  static ChromeDriver start() {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      String why = "Debian's chromium and chromium-driver are not installed (" + BROWSER + ", "
          + DRIVER + "); run scripts/install-deps or apt-get install -y chromium chromium-driver";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      assumeTrue(false, why);
    }
    CDP_LOG.setLevel(Level.SEVERE);
    ChromeOptions options = new ChromeOptions()
        .setBinary(BROWSER.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
            "--window-size=1400,1100", "--disable-gpu", "--no-first-run");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return driver;
  }
}
