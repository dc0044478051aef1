package com.rackflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A headless Chromium on the console, with the few moves the journeys repeat. Waits are explicit, never sleeps. */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final WebDriver driver;
    final WebDriverWait wait;
    final URI console;
    final Path screenshots;
    final Path downloads;

    ConsoleBrowser(URI console, Path screenshots, Path profile, Path downloads) {
        this.console = console;
        this.screenshots = screenshots;
        this.downloads = downloads;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1440,1000", "--lang=zh-CN", "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false, "intl.accept_languages", "zh-CN"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        // generous: the machine may be busy and a function's first call starts its JVM
        wait = new WebDriverWait(driver, Duration.ofSeconds(90));
    }

    void open(String path) {
        driver.get(console.resolve(path).toString());
    }

    /**
     * Signs in through the OpenID Connect flow from a deep link: the console sends the browser to its sign-in page,
     * then to the provider's page, where the user is chosen; the callback returns to the deep link.
     */
    void signInAs(String userId, String displayName, String path) {
        open("/signin");
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        open(path);
        wait.until(ExpectedConditions.urlContains("/signin"));
        click(By.cssSelector("[data-test=sign-in]"));
        WebElement user = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-user='" + userId + "']")));
        shot("idp-sign-in");
        user.click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-test=who]"), displayName + " · " + roleOf(userId)));
        assertThat(driver.getCurrentUrl()).doesNotContain("code=").doesNotContain("access_token");
        wait.until(d -> URI.create(d.getCurrentUrl()).getPath().equals(URI.create(console.resolve(path).toString()).getPath()));
    }

    private static String roleOf(String userId) {
        return switch (userId) {
            case "li.lei", "zhao.min", "liu.yang" -> "业务员";
            case "wang.fang", "chen.jing" -> "区域市场经理";
            case "zhou.qiang", "wu.hui" -> "维护部门";
            case "sun.wei", "ma.jun" -> "运营/技术";
            default -> "系统管理员";
        };
    }

    WebElement find(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void click(By by) {
        wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    /** Types into an Element Plus input (the data-test attribute sits on the input or on its wrapper). */
    void type(String test, String text) {
        By input = By.cssSelector("input[data-test='" + test + "'], [data-test='" + test + "'] input, textarea[data-test='" + test
                + "'], [data-test='" + test + "'] textarea");
        WebElement field = find(input);
        // clear() does not reach Vue's v-model (no input event): select what is there and type over it
        field.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), org.openqa.selenium.Keys.BACK_SPACE);
        field.sendKeys(text);
    }

    /** Opens an Element Plus select and picks the visible option with this text. */
    void choose(String selectTest, String optionText) {
        choose(By.cssSelector("[data-test='" + selectTest + "']"), optionText);
    }

    /** Opens the Element Plus select found by {@code select} and picks the visible option with this text. */
    void choose(By select, String optionText) {
        click(select);
        // only the open list (a list closing a moment ago is aria-hidden while it fades out); its opening transition can
        // leave a neighbour under the pointer for a moment: Chrome then refuses the click and it is tried again
        By option = By.xpath("//li[contains(@class,'el-select-dropdown__item') and not(contains(@class,'is-disabled'))]"
                + "[normalize-space(.)='" + optionText + "' or starts-with(normalize-space(.), '" + optionText + "')]"
                + "[ancestor::div[contains(@class,'el-popper') and not(contains(@style,'display: none')) and not(@aria-hidden='true')]]");
        new WebDriverWait(driver, Duration.ofSeconds(90)).ignoring(org.openqa.selenium.ElementClickInterceptedException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    WebElement o = ExpectedConditions.elementToBeClickable(option).apply(d);
                    if (o == null) {
                        return false;
                    }
                    o.click();
                    return true;
                });
    }

    String text(By by) {
        return find(by).getText();
    }

    void waitForText(By by, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    /** Presses a dialog's save button and waits for the form to refuse, naming the rule under the field. */
    void saveRefused(String saveTest, String rule) {
        click(By.cssSelector("[data-test=" + saveTest + "]"));
        waitForText(By.cssSelector(".el-dialog .el-form-item__error"), rule);
    }

    /** Presses a dialog's save button and waits until the list named by {@code listTest} shows {@code text}. */
    void saveAndSee(String saveTest, String listTest, String text) {
        click(By.cssSelector("[data-test=" + saveTest + "]"));
        waitForText(By.cssSelector("[data-test=" + listTest + "]"), text);
    }

    void shot(String name) {
        try {
            Files.createDirectories(screenshots);
            Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.move(png, screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot save screenshot " + name, e);
        }
    }

    /** The JavaScript the page loaded so far (transfer sizes as the browser received them, gzip applied by no server here). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> scripts() {
        return (List<Map<String, Object>>) ((JavascriptExecutor) driver).executeScript(
                "return performance.getEntriesByType('resource').filter(e => e.initiatorType === 'script' || e.name.endsWith('.js'))"
                        + ".map(e => ({name: e.name, size: e.decodedBodySize}))");
    }

    @Override
    public void close() {
        driver.quit();
    }
}
