package dev.refit.pipeline.ui;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.refit.pipeline.cli.DemoCache;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web view in headless Chromium over the demo's store: from the repository list to
 * {@code nova-api:apex} by clicking, down to the patched file's diff; and the same page behind
 * {@code --htpasswd}. Saves a screenshot to {@code target/ui/nova-api-apex.png}.
 */
class WebUiBrowserTest {
  /** The demo's nova patch, as it lands in the image. */
  private static final String PATCHED_FILE =
      "usr/lib/python3.6/site-packages/nova/api/openstack/compute/servers.py";
  private static final String ADDED_LINE =
      "+        min_count = int(server_dict.get('min_count', 1))";

  @TempDir Path work;

  @Test
  void clickThrough_toNovaApiApex_showsThePatchedFilesDiff() throws Exception {
    Path cache = DemoCache.get();
    try (InProcessRegistry registry = InProcessRegistry.start(
        RegistryConfig.defaults(cache.resolve("registry")), WebUi.of(cache))) {
      ChromeDriver browser = Chromium.start();
      try {
        browser.get(registry.baseUrl() + "/ui/");
        walkToTheNovaApiDiff(browser);
        browser.findElement(By.id("mode-split")).click();
        WebElement split = wait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("split")));
        assertThat(split.getText()).contains("min_count = int(server_dict.get('min_count', 1))");
        browser.findElement(By.id("mode-unified")).click();
        wait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("unified")));

        browser.executeScript("document.getElementById('diff').scrollIntoView()");
        Path shot = Path.of("target", "ui", "nova-api-apex.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(shot)).isGreaterThan(10_000);
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void htpasswd_noCredentialsGet401_andWithThemThePageWorks() throws Exception {
    Path cache = DemoCache.get();
    Path htpasswd = work.resolve("htpasswd");
    Files.writeString(htpasswd, "alice:" + BCrypt.with(BCrypt.Version.VERSION_2Y)
        .hashToString(4, "s3cret".toCharArray()) + "\n");
    try (InProcessRegistry registry = InProcessRegistry.start(
        RegistryConfig.defaults(cache.resolve("registry")).withHtpasswd(htpasswd), WebUi.of(cache))) {
      UiHttp anonymous = UiHttp.of(registry.baseUrl());
      for (String path : new String[] {"/ui/", "/ui/app.js", "/ui/api/repositories", "/ui/api/report"}) {
        HttpResponse<String> denied = anonymous.get(path);
        assertThat(denied.statusCode()).as(path).isEqualTo(401);
        assertThat(denied.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Basic realm=\"refit\"");
        assertThat(denied.body()).as(path).doesNotContain("nova");
      }
      assertThat(anonymous.withBasicAuth("alice", "wrong").get("/ui/api/repositories").statusCode()).isEqualTo(401);
      assertThat(anonymous.withBasicAuth("alice", "s3cret").get("/ui/api/repositories").statusCode()).isEqualTo(200);

      ChromeDriver browser = Chromium.start();
      try {
        browser.get(registry.baseUrl().replace("http://", "http://alice:s3cret@") + "/ui/");
        walkToTheNovaApiDiff(browser);
      } finally {
        browser.quit();
      }
    }
  }

  /** From the repository list: nova-api, its apex tag, then the patched file in the diff. */
  private static void walkToTheNovaApiDiff(ChromeDriver browser) {
    wait(browser).until(ExpectedConditions.elementToBeClickable(
        By.xpath("//table[@id='repositories']//a[contains(., 'nova-api')]"))).click();
    WebElement apex = wait(browser).until(ExpectedConditions.elementToBeClickable(
        By.xpath("//table[@id='tags']//a[.='apex']")));
    assertThat(apex.findElement(By.xpath("ancestor::tr")).getAttribute("class")).contains("apex");
    apex.click();
    wait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("patches")));
    assertThat(browser.findElement(By.id("patches")).getText())
        .contains("I0a1b2c3d4e5f60718293a4b5c6d7e8f901234567");
    WebElement file = new WebDriverWait(browser, Duration.ofSeconds(120)).until(
        ExpectedConditions.elementToBeClickable(By.cssSelector("#files a[data-path$='" + PATCHED_FILE + "']")));
    assertThat(file.getText()).contains(PATCHED_FILE);
    file.click();
    WebElement unified = wait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("unified")));
    assertThat(unified.getText()).contains(ADDED_LINE);
    assertThat(browser.findElement(By.id("filediff")).getText()).contains(PATCHED_FILE);
  }

  private static WebDriverWait wait(WebDriver browser) {
    return new WebDriverWait(browser, Duration.ofSeconds(30));
  }
}
