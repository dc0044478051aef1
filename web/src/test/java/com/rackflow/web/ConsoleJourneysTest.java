package com.rackflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import com.rackflow.local.dynalite.Dynalite;
import com.rackflow.local.stack.LocalStack;

/**
 * Each role's daily work in a real headless Chromium against the local stack: sign-in through the OpenID Connect
 * code flow, sales to a signed customer and contract, the racking flow through operations and acceptance, tracking,
 * maintenance's service record, the manager's report and staff departure. One stack and one browser for the class;
 * the journeys build on each other in order. A screenshot per page goes to target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleJourneysTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String COMPANY = "无锡星海算力科技有限公司";

    private static LocalStack stack;
    private static ConsoleBrowser browser;
    private static Path downloads;
    private static String customerPath;
    private static String customerCode;
    private static String flowId;

    /** A failing journey leaves the page it stopped on. */
    @RegisterExtension
    static final TestWatcher SHOT_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                browser.shot("FAILED-" + context.getRequiredTestMethod().getName());
            }
        }
    };

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(ConsoleBrowser.CHROMIUM) && Files.isExecutable(ConsoleBrowser.CHROMEDRIVER),
                "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
        Path root = Dynalite.repositoryRoot();
        ConsoleBuild.ensureBuilt(root);
        stack = LocalStack.start(new LocalStack.Options(root.resolve("template.yaml"), 0, null, true));
        URI console = stack.consoleUrl().orElseThrow(() -> new IllegalStateException("the stack did not serve web/dist"));
        Path build = Path.of(System.getProperty("screenshots", "target/screenshots")).getParent();
        downloads = Files.createDirectories(build.resolve("downloads"));
        browser = new ConsoleBrowser(console, Path.of(System.getProperty("screenshots", "target/screenshots")),
                Files.createTempDirectory("chromium-profile"), downloads);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(0)
    void theSignInRouteLoadsUnder300KbOfGzippedJavaScript() throws IOException {
        browser.open("/signin");
        browser.find(By.cssSelector("[data-test=sign-in]"));
        browser.shot("sign-in");
        Path dist = Dynalite.repositoryRoot().resolve("web/dist");
        long raw = 0;
        long gzipped = 0;
        List<Map<String, Object>> scripts = browser.scripts();
        for (Map<String, Object> script : scripts) {
            byte[] file = Files.readAllBytes(dist.resolve(URI.create(script.get("name").toString()).getPath().substring(1)));
            raw += file.length;
            var out = new java.io.ByteArrayOutputStream();
            try (var gzip = new java.util.zip.GZIPOutputStream(out)) {
                gzip.write(file);
            }
            gzipped += out.size();
        }
        System.out.printf("sign-in route: %d JavaScript files, %.1f KB, %.1f KB gzipped%n", scripts.size(), raw / 1024.0, gzipped / 1024.0);
        assertThat(scripts).isNotEmpty();
        assertThat(gzipped).isLessThan(300 * 1024);
    }

    @Test
    @Order(1)
    void everyDemoRoleSignsInThroughTheOidcFlowAndSeesItsNavigation() {
        Map<String, List<String>> navigation = Map.of(
                "li.lei", List.of("customers", "contracts", "inbox"),
                "wang.fang", List.of("customers", "reports", "departures", "deleted"),
                "zhou.qiang", List.of("service", "inbox"),
                "sun.wei", List.of("inbox", "inventory", "tracking"),
                "admin", List.of("directory", "inventory", "reports"));
        Map<String, String> names = Map.of("li.lei", "李雷", "wang.fang", "王芳", "zhou.qiang", "周强", "sun.wei", "孙伟", "admin", "系统管理员");
        for (var user : navigation.entrySet()) {
            browser.signInAs(user.getKey(), names.get(user.getKey()), "/");
            for (String section : user.getValue()) {
                browser.find(By.cssSelector("[data-nav='" + section + "']"));
            }
            browser.shot("home-" + user.getKey());
        }
    }

    @Test
    @Order(2)
    void salesCreatesACustomerIsRefusedADuplicateSignsAndOpensAContract() throws Exception {
        browser.signInAs("li.lei", "李雷", "/customers");
        browser.find(By.cssSelector("[data-test=customer-table]"));
        browser.shot("customers");
        browser.click(By.cssSelector("[data-test=new-customer]"));
        browser.type("companyName", COMPANY);
        browser.type("contact-name-0", "钱工");
        browser.type("contact-phone-0", "13812345670");
        browser.shot("customer-form");
        browser.click(By.cssSelector("[data-test=save-customer]"));
        browser.wait.until(ExpectedConditions.urlMatches("/customers/[0-9a-f-]{36}"));
        customerPath = URI.create(browser.driver.getCurrentUrl()).getPath();
        customerCode = browser.text(By.cssSelector("[data-test=customer-code]"));
        assertThat(customerCode).matches("C\\d{4}-\\d{6}");

        // the same company written differently: 查重 refuses it and names the existing code
        browser.open("/customers");
        browser.click(By.cssSelector("[data-test=new-customer]"));
        browser.type("companyName", "无锡 星海算力科技（集团）股份有限公司");
        browser.type("contact-name-0", "孙工");
        browser.type("contact-phone-0", "13812345671");
        browser.click(By.cssSelector("[data-test=save-customer]"));
        browser.waitForText(By.cssSelector("[data-test=duplicate-code]"), customerCode);
        browser.shot("customer-duplicate");

        browser.open(customerPath);
        for (String status : List.of("初步接触", "洽谈中", "签约")) {
            browser.choose("move-to", status);
            browser.click(By.cssSelector("[data-test=move]"));
            browser.waitForText(By.cssSelector("[data-test=customer-status]"), status);
        }
        browser.shot("customer-signed");

        browser.click(By.cssSelector("[data-test=new-contract]"));
        browser.click(By.cssSelector("[data-test=save-contract]"));
        browser.wait.until(ExpectedConditions.urlMatches("/contracts/[0-9a-f-]{36}"));
        browser.waitForText(By.cssSelector("[data-test=contract-status]"), "草稿");
        browser.click(By.cssSelector("[data-test=activate]"));
        browser.waitForText(By.cssSelector("[data-test=contract-status]"), "生效");
        browser.shot("contract");
        browser.click(By.cssSelector("[data-test=start-racking]"));
        browser.wait.until(ExpectedConditions.urlMatches("/tracking/RF-HT\\d{10}-1$"));
        flowId = browser.driver.getCurrentUrl().replaceAll(".*/tracking/", "");
        browser.find(By.cssSelector("[data-test=flow-graph] canvas"));
        assertGraphBoxesStandFree("racking");
        browser.shot("tracking-started");
    }

    @Test
    @Order(3)
    void operationsReviewAllocateInTheElevationPickerAndRack() throws Exception {
        awaitOpen(flowId + ".OPS_REVIEW", "sun.wei");
        browser.signInAs("sun.wei", "孙伟", "/inbox");
        browser.click(By.cssSelector("[data-work-item='" + flowId + ".OPS_REVIEW']"));
        browser.waitForText(By.cssSelector("[data-test=work-item-title]"), "运维审核");
        browser.type("note", "设备清单已核对");
        browser.shot("work-item-review");
        browser.click(By.cssSelector("[data-test=complete]"));
        browser.wait.until(ExpectedConditions.urlContains("/tracking/" + flowId));

        awaitOpen(flowId + ".RESOURCE_ALLOCATION", "sun.wei");
        browser.open("/work-items/" + flowId + ".RESOURCE_ALLOCATION");
        browser.waitForText(By.cssSelector("[data-test=work-item-title]"), "资源分配");
        browser.choose("rack-select", "A-01");
        browser.click(By.cssSelector("[data-u='10']"));
        browser.waitForText(By.cssSelector("[data-test=picked-range]"), "U10–U11");
        browser.waitForText(By.cssSelector("[data-test=prefix]"), "198.51.100.0/25");
        // the picker shows the next free addresses of the prefix (GET /ip-prefixes/{id}/free-addresses) ...
        String shown = browser.wait.until(d -> {
            String a = d.findElement(By.cssSelector("[data-test=free-addresses]")).getAttribute("data-addresses");
            return a == null || a.isBlank() ? null : a;
        });
        assertThat(shown.split(" ")).hasSizeGreaterThan(0).allMatch(a -> a.startsWith("198.51.100."));
        browser.waitForText(By.cssSelector("[data-test=free-addresses]"), shown.split(" ")[0]);
        browser.shot("work-item-allocation");
        browser.click(By.cssSelector("[data-test=complete]"));
        browser.wait.until(ExpectedConditions.urlContains("/tracking/" + flowId));
        // ... and they are the ones the reservation took
        String flow = get("/racking-flows/" + flowId, "sun.wei");
        assertThat(flow).contains("\"addresses\":[\"" + String.join("\",\"", shown.split(" ")) + "\"]");

        awaitOpen(flowId + ".PHYSICAL_RACKING", "sun.wei");
        browser.open("/work-items/" + flowId + ".PHYSICAL_RACKING");
        browser.waitForText(By.cssSelector("[data-test=work-item-title]"), "上架确认");
        browser.type("device-serial-0", "CN7X2A1");
        browser.shot("work-item-racking");
        browser.click(By.cssSelector("[data-test=complete]"));
        browser.wait.until(ExpectedConditions.urlContains("/tracking/" + flowId));
    }

    @Test
    @Order(4)
    void salesAcceptsAndTrackingShowsTheGraphWithInServiceReached() throws Exception {
        awaitOpen(flowId + ".ACCEPTANCE", "li.lei");
        browser.signInAs("li.lei", "李雷", "/work-items/" + flowId + ".ACCEPTANCE");
        browser.waitForText(By.cssSelector("[data-test=work-item-title]"), "客户验收");
        browser.type("note", "客户现场验收通过");
        browser.click(By.cssSelector("[data-test=complete]"));
        browser.wait.until(ExpectedConditions.urlContains("/tracking/" + flowId));
        browser.wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-test=flow-status]"), "data-status", "COMPLETED"));
        assertThat(browser.find(By.cssSelector("[data-test=flow-status]")).getAttribute("data-reached"))
                .contains("OpsReview", "ResourceAllocation", "PhysicalRacking", "Acceptance", "PutInService");
        browser.find(By.cssSelector("[data-test=flow-graph] canvas"));
        assertGraphBoxesStandFree("racking");
        browser.shot("tracking");
        // the graph's labels come from the one catalogue: the English switch relabels every state
        browser.click(By.cssSelector("[data-test=lang]"));
        browser.wait.until(ExpectedConditions.attributeContains(By.cssSelector("[data-test=flow-graph]"), "data-nodes",
                "\"label\":\"Escalation failed: Resource allocation\""));
        assertThat(browser.find(By.cssSelector("[data-test=flow-graph]")).getAttribute("data-nodes"))
                .contains("\"label\":\"Failed (end)\"", "\"label\":\"Operations review\"").doesNotContainPattern("[\\u4e00-\\u9fff]");
        browser.click(By.cssSelector("[data-test=lang]"));
        browser.wait.until(ExpectedConditions.attributeContains(By.cssSelector("[data-test=flow-graph]"), "data-nodes", "升级失败：资源分配"));
        browser.open(customerPath);
        browser.waitForText(By.cssSelector("[data-test=customer-status]"), "维护中");
    }

    @Test
    @Order(5)
    void maintenanceFindsTheCustomerInThePickerOpensAServiceRecordButNotTheCustomerPage() {
        browser.signInAs("zhou.qiang", "周强", "/service");
        assertThat(browser.driver.findElements(By.cssSelector("[data-nav='customers']"))).isEmpty();
        browser.click(By.cssSelector("[data-test=new-service-record]"));
        browser.find(By.cssSelector("[data-test=customer-picker] input")).sendKeys("星海");
        browser.click(By.xpath("//li[contains(@class,'el-select-dropdown__item')][contains(., '" + customerCode + "')]"));
        browser.type("service-title", "重启服务器");
        browser.type("service-description", "客户请求远程重启 CN7X2A1");
        browser.shot("service-form");
        browser.click(By.cssSelector("[data-test=save-service-record]"));
        browser.wait.until(ExpectedConditions.urlMatches("/service/[0-9a-f-]{36}"));
        browser.wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-test=service-status]"), "data-status", "OPEN"));
        browser.click(By.cssSelector("[data-move='IN_PROGRESS']"));
        browser.wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-test=service-status]"), "data-status", "IN_PROGRESS"));
        browser.shot("service-record");

        browser.open(customerPath);
        browser.waitForText(By.cssSelector("[data-test=forbidden]"), "无权访问");
        browser.shot("maintenance-customer-forbidden");
    }

    @Test
    @Order(6)
    void managerDownloadsACsvReportAndRunsAStaffDeparture() throws Exception {
        browser.signInAs("wang.fang", "王芳", "/reports");
        browser.find(By.cssSelector("[data-test=report-table]"));
        browser.click(By.cssSelector("[data-test=download-csv]"));
        Path csv = browser.wait.until(d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(f -> f.getFileName().toString().startsWith("call-volume") && f.toString().endsWith(".csv"))
                        .findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
        String content = browser.wait.until(d -> {
            try {
                String s = Files.readString(csv, StandardCharsets.UTF_8);
                return s.isEmpty() ? null : s;
            } catch (IOException e) {
                return null;
            }
        });
        assertThat(content).startsWith("\uFEFF").contains("业务员");
        browser.shot("reports");

        browser.open("/departures");
        browser.choose("departing", "赵敏");
        browser.click(By.cssSelector("[data-test=next]"));
        browser.click(By.cssSelector("[data-test=receivers] [data-user='li.lei']"));
        browser.shot("departure-wizard");
        browser.click(By.cssSelector("[data-test=start-departure]"));
        browser.wait.withTimeout(Duration.ofSeconds(60)).until(ExpectedConditions.attributeToBe(
                By.cssSelector("[data-test=departure-progress]"), "data-status", "COMPLETED"));
        browser.shot("departure-done");
    }

    @Test
    @Order(7)
    void aStaleVersionOffersAReloadAnExpiredSessionSignsInAgainAndEnglishIsASwitchAway() throws Exception {
        String token = stack.identityProvider().issue("li.lei").accessToken();
        String created = send("POST", "/customers", token, "{\"companyName\":\"常州云栈数据服务有限公司\",\"region\":\"east\","
                + "\"source\":\"WEBSITE\",\"contacts\":[{\"name\":\"周工\",\"phone\":\"13912340001\"}]}");
        String id = created.replaceAll(".*\"customerId\":\"([^\"]+)\".*", "$1");
        browser.signInAs("li.lei", "李雷", "/customers/" + id + "?tab=contacts");
        browser.waitForText(By.cssSelector("[data-test=customer-status]"), "完成录入");

        // someone else changes the customer meanwhile: the move is refused (409) and the page offers to reload
        send("PATCH", "/customers/" + id, token, "{\"notes\":\"另一位同事刚修改过\",\"version\":1}");
        browser.choose("move-to", "初步接触");
        browser.click(By.cssSelector("[data-test=move]"));
        browser.click(By.xpath("//div[contains(@class,'el-message-box')]//button[normalize-space(.)='重新加载']"));
        browser.waitForText(By.cssSelector(".el-descriptions"), "另一位同事刚修改过");
        browser.choose("move-to", "初步接触");
        browser.click(By.cssSelector("[data-test=move]"));
        browser.waitForText(By.cssSelector("[data-test=customer-status]"), "初步接触");

        // a token the API no longer accepts: the next call signs in again and comes back to the same page
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                "for (const k of Object.keys(sessionStorage)) { if (k.startsWith('oidc.user:')) {"
                        + " const u = JSON.parse(sessionStorage.getItem(k)); const t = u.access_token;"
                        + " u.access_token = t.slice(0, -8) + (t.endsWith('AAAAAAAA') ? 'BBBBBBBB' : 'AAAAAAAA');"
                        + " sessionStorage.setItem(k, JSON.stringify(u)); } }");
        browser.open("/customers/" + id + "?tab=history");
        browser.click(By.cssSelector("button[data-user='li.lei']"));
        browser.wait.until(ExpectedConditions.urlContains("/customers/" + id + "?tab=history"));
        browser.find(By.cssSelector("[data-test=history] .el-timeline-item"));
        browser.shot("customer-history");

        browser.click(By.cssSelector("[data-test=lang]"));
        browser.waitForText(By.cssSelector("[data-nav='customers']"), "Customers");
        browser.waitForText(By.cssSelector("[data-test=customer-status]"), "Contacted");
        browser.shot("customer-english");
        browser.click(By.cssSelector("[data-test=lang]"));
        browser.waitForText(By.cssSelector("[data-nav='customers']"), "客户管理");
    }

    /**
     * The drawn graph, as the chart reports where it put each state's box: every state of the ASL definition is there,
     * labelled in zh-CN (never its ASL name), and no two boxes intersect.
     */
    private static void assertGraphBoxesStandFree(String definition) throws Exception {
        String json = browser.wait.until(d -> {
            String v = d.findElement(By.cssSelector("[data-test=flow-graph]")).getAttribute("data-nodes");
            return v == null || v.equals("[]") ? null : v;
        });
        var nodes = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        var asl = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Files.readString(Dynalite.repositoryRoot().resolve("statemachines/" + definition + ".asl.json")));
        List<String> names = new java.util.ArrayList<>();
        nodes.forEach(n -> names.add(n.path("name").asText()));
        List<String> states = new java.util.ArrayList<>();
        asl.path("States").fieldNames().forEachRemaining(states::add);
        assertThat(names).containsExactlyInAnyOrderElementsOf(states);
        List<String> overlapping = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            var a = nodes.get(i);
            assertThat(a.path("label").asText()).as(a.path("name").asText())
                    .matches(".*[\\u4e00-\\u9fff].*").isNotEqualTo(a.path("name").asText());
            for (int j = i + 1; j < nodes.size(); j++) {
                var b = nodes.get(j);
                boolean apartX = Math.abs(a.path("x").asDouble() - b.path("x").asDouble()) >= (a.path("w").asDouble() + b.path("w").asDouble()) / 2;
                boolean apartY = Math.abs(a.path("y").asDouble() - b.path("y").asDouble()) >= (a.path("h").asDouble() + b.path("h").asDouble()) / 2;
                if (!apartX && !apartY) {
                    overlapping.add(a.path("name").asText() + " × " + b.path("name").asText());
                }
            }
        }
        assertThat(overlapping).as("state boxes that intersect").isEmpty();
        // and the boxes lie inside the drawn canvas
        var canvas = browser.find(By.cssSelector("[data-test=flow-graph] canvas")).getSize();
        nodes.forEach(n -> assertThat(n.path("x").asDouble() - n.path("w").asDouble() / 2).as(n.toString()).isBetween(0.0, (double) canvas.getWidth()));
        nodes.forEach(n -> assertThat(n.path("y").asDouble() + n.path("h").asDouble() / 2).as(n.toString()).isBetween(0.0, (double) canvas.getHeight()));
    }

    private static String today() {
        return java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
    }

    @Test
    @Order(8)
    void theFollowUpDueTodayComesFromTheServerAndAManagerReassignsDeletesAndRestoresTheCustomer() throws Exception {
        String sales = stack.identityProvider().issue("li.lei").accessToken();
        String id = send("POST", "/customers", sales, "{\"companyName\":\"苏州湖畔智算科技有限公司\",\"region\":\"east\","
                + "\"source\":\"REFERRAL\",\"contacts\":[{\"name\":\"沈工\",\"phone\":\"13912340077\"}]}")
                .replaceAll(".*\"customerId\":\"([^\"]+)\".*", "$1");
        send("POST", "/customers/" + id + "/activities", sales, "{\"type\":\"CALL\",\"occurredAt\":\""
                + java.time.Instant.now().minusSeconds(120).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "\",\"summary\":\"约定今天回电\",\"nextFollowUpDate\":\"" + today() + "\"}");

        // 我的待跟进 on li.lei's dashboard: from GET /follow-ups
        browser.signInAs("li.lei", "李雷", "/");
        browser.waitForText(By.cssSelector("[data-follow-up='" + id + "']"), "苏州湖畔智算科技有限公司");
        browser.shot("home-follow-ups");
        assertThat(get("/follow-ups?due=today", "li.lei")).contains(id);

        // the manager reassigns the customer to herself: the page shows the new owner, the follow-up went with it
        browser.signInAs("wang.fang", "王芳", "/customers/" + id);
        browser.waitForText(By.cssSelector("[data-test=customer-owner]"), "李雷");
        browser.choose("reassign-to", "王芳");
        browser.click(By.cssSelector("[data-test=reassign]"));
        browser.wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-test=customer-owner]"), "data-owner", "wang.fang"));
        browser.waitForText(By.cssSelector("[data-test=customer-owner]"), "王芳");
        browser.shot("customer-reassigned");
        assertThat(get("/customers/" + id, "wang.fang")).contains("\"ownerId\":\"wang.fang\"");
        assertThat(get("/follow-ups?due=today", "li.lei")).doesNotContain(id);
        assertThat(get("/follow-ups?due=today&owner=wang.fang", "wang.fang")).contains(id);
        assertThat(get("/customers/" + id + "/history", "wang.fang")).contains("REASSIGNED");

        // deleted by the manager, it is listed under 已删除记录 and restored from there
        browser.click(By.cssSelector("[data-test=delete-customer]"));
        browser.click(By.xpath("//div[contains(@class,'el-message-box')]//button[normalize-space(.)='删除']"));
        browser.wait.until(ExpectedConditions.urlMatches("/customers$"));
        assertThat(get("/customers/" + id, "wang.fang")).contains("\"deletedAt\"");
        assertThat(get("/follow-ups?due=today&owner=wang.fang", "wang.fang")).doesNotContain(id);
        browser.open("/deleted");
        browser.find(By.cssSelector("[data-restore='" + id + "']"));
        browser.shot("deleted-records");
        browser.click(By.cssSelector("[data-restore='" + id + "']"));
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-restore='" + id + "']")));
        String restored = get("/customers/" + id, "wang.fang");
        assertThat(restored).doesNotContain("\"deletedAt\"").contains("\"ownerId\":\"wang.fang\"");
        assertThat(get("/follow-ups?due=today&owner=wang.fang", "wang.fang")).contains(id);
        browser.open("/customers/" + id);
        browser.waitForText(By.cssSelector("[data-test=customer-name]"), "苏州湖畔智算科技有限公司");
    }

    @Test
    @Order(9)
    void operationsAddASiteRoomRackAndPrefixAndSeeTheFreeAddresses() throws Exception {
        browser.signInAs("sun.wei", "孙伟", "/inventory");
        browser.find(By.cssSelector("[data-test=racks]"));
        browser.click(By.cssSelector("[data-test=new-site]"));
        browser.type("site-code", "NJ-XL01");
        browser.type("site-name", "南京仙林数据中心");
        browser.type("site-city", "南京");
        browser.saveAndSee("save-inventory", "site-select", "南京仙林数据中心");
        String sites = get("/sites?limit=100", "sun.wei");
        assertThat(sites).contains("\"code\":\"NJ-XL01\"");
        String siteId = sites.replaceAll(".*\"siteId\":\"([^\"]+)\",\"code\":\"NJ-XL01\".*", "$1");
        assertThat(siteId).hasSize(36);

        browser.click(By.cssSelector("[data-test=new-room]"));
        browser.type("room-name", "M3");
        browser.type("room-floor", "3F");
        browser.saveAndSee("save-inventory", "rooms", "M3");

        browser.click(By.cssSelector("[data-test=new-rack]"));
        browser.type("rack-name", "bad name!");
        browser.saveRefused("save-inventory", "格式不正确");
        browser.shot("inventory-rack-error");
        browser.type("rack-name", "C-07");
        browser.saveAndSee("save-inventory", "racks", "C-07");
        assertThat(get("/racks?siteId=" + siteId, "sun.wei")).contains("\"name\":\"C-07\"", "\"uHeight\":42");

        browser.click(By.cssSelector("[data-test=new-prefix]"));
        browser.type("prefix-cidr", "203.0.113.5/26");
        browser.saveRefused("save-inventory", "IPv4 网段");
        browser.type("prefix-cidr", "203.0.113.0/26");
        browser.type("prefix-description", "仙林公网地址");
        browser.saveAndSee("save-inventory", "prefixes", "203.0.113.0/26");
        browser.click(By.xpath("//*[@data-test='prefixes']//td[contains(., '203.0.113.0/26')]"));
        browser.wait.until(ExpectedConditions.attributeContains(By.cssSelector("[data-test=prefix-free]"), "data-addresses", "203.0.113.2 203.0.113.3"));
        browser.shot("inventory-created");
        String prefixes = get("/ip-prefixes?siteId=" + siteId, "admin");
        String prefixId = prefixes.replaceAll(".*\"prefixId\":\"([^\"]+)\".*", "$1");
        assertThat(get("/ip-prefixes/" + prefixId + "/free-addresses?limit=2", "admin")).contains("\"addresses\":[\"203.0.113.2\",\"203.0.113.3\"]");
        assertThat(get("/sites/" + siteId + "/capacity", "admin")).contains("\"racks\":1");
    }

    @Test
    @Order(10)
    void adminAddsAUserChangesRoleAndDepartmentAndDisablesThem() throws Exception {
        browser.signInAs("admin", "系统管理员", "/directory");
        browser.find(By.cssSelector("[data-test=users]"));
        browser.click(By.cssSelector("[data-test=new-user]"));
        browser.type("user-id", "Qian Lin");
        browser.type("user-name", "钱琳");
        browser.saveRefused("save-user", "格式不正确");
        browser.type("user-id", "qian.lin");
        browser.type("user-email", "qian.lin@rackflow.example");
        browser.choose("user-dept", "华东区");
        browser.click(By.cssSelector("[data-test=save-user]"));
        browser.wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-status-of='qian.lin']"), "data-status", "ACTIVE"));
        assertThat(get("/directory/users/qian.lin", "admin")).contains("\"role\":\"SALES\"", "\"departmentId\":\"east\"");
        browser.shot("directory-created");

        browser.choose(By.cssSelector("[data-role-of='qian.lin']"), "区域市场经理");
        browser.wait.until(d -> {
            try {
                return get("/directory/users/qian.lin", "admin").contains("\"role\":\"REGIONAL_MANAGER\"");
            } catch (Exception e) {
                return false;
            }
        });
        browser.waitForText(By.cssSelector("[data-role-of='qian.lin']"), "区域市场经理");

        browser.choose(By.cssSelector("[data-dept-of='qian.lin']"), "华南区");
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-status-of='qian.lin']")));
        assertThat(get("/directory/users/qian.lin", "admin")).contains("\"departmentId\":\"south\"");
        browser.choose("dept", "华南区");
        browser.click(By.cssSelector("[data-disable='qian.lin']"));
        browser.click(By.xpath("//div[contains(@class,'el-message-box')]//button[normalize-space(.)='停用']"));
        browser.wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-status-of='qian.lin']"), "data-status", "DEPARTED"));
        browser.waitForText(By.cssSelector("[data-status-of='qian.lin']"), "离职");
        browser.shot("directory-disabled");
        assertThat(get("/directory/users/qian.lin", "admin")).contains("\"status\":\"DEPARTED\"", "\"departmentId\":\"south\"",
                "\"role\":\"REGIONAL_MANAGER\"");
        // and the disabled person can no longer sign in
        HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(stack.apiBaseUrl().resolve("/local-idp/token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"qian.lin\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(403);
    }

    private static String get(String path, String userId) throws Exception {
        String token = stack.identityProvider().issue(userId).accessToken();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(stack.apiBaseUrl().resolve(path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static String send(String method, String path, String token, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(stack.apiBaseUrl().resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
        return r.body();
    }

    @Test
    @Order(11)
    void salesImportsASpreadsheetSeesItsProblemsCommitsTheGoodRowsAndExportsTheList() throws Exception {
        String tag = String.format("%05d", System.nanoTime() % 100_000);
        String[] names = {"常州" + tag + "甲云计算科技有限公司", "常州" + tag + "乙云计算科技有限公司", "常州" + tag + "丙云计算科技有限公司"};
        Path file = downloads.getParent().resolve("customers-" + tag + ".csv");
        Files.writeString(file, "公司名称,联系人,电话\r\n"
                + names[0] + ",钱一,139" + tag + "001\r\n"
                + names[1] + ",钱二,139" + tag + "002\r\n"
                + names[2] + ",钱三,139" + tag + "003\r\n"
                + "常州" + tag + "丁云计算科技有限公司,钱四,12345\r\n"                      // INVALID: phone
                + "常州" + tag + "甲云计算 科技（集团）股份有限公司,钱五,139" + tag + "005\r\n" // DUPLICATE of row 2
                + COMPANY + ",钱六,139" + tag + "006\r\n", StandardCharsets.UTF_8);        // DUPLICATE of li.lei's customer

        browser.signInAs("li.lei", "李雷", "/customers");
        browser.click(By.cssSelector("[data-test=import-customers]"));
        browser.find(By.cssSelector("[data-test=import-upload]"));
        browser.driver.findElement(By.cssSelector("[data-test=import-upload] input[type=file]")).sendKeys(file.toString());
        By state = By.cssSelector("[data-test=import-state]");
        browser.wait.withTimeout(Duration.ofSeconds(120)).until(ExpectedConditions.attributeToBe(state, "data-status", "PREVIEWED"));
        assertThat(browser.text(By.cssSelector("[data-test=preview-ok]"))).isEqualTo("3");
        assertThat(browser.text(By.cssSelector("[data-test=preview-invalid]"))).isEqualTo("1");
        assertThat(browser.text(By.cssSelector("[data-test=preview-duplicate]"))).isEqualTo("2");
        assertThat(browser.driver.findElements(By.cssSelector("[data-test=import-rows] [data-verdict=INVALID]"))).hasSize(1);
        assertThat(browser.driver.findElements(By.cssSelector("[data-test=import-rows] [data-verdict=DUPLICATE]"))).hasSize(2);
        assertThat(browser.text(By.cssSelector("[data-test=import-rows]"))).contains("电话").contains("与文件第 2 行重复");
        browser.shot("import-preview");
        String importId = URI.create(browser.driver.getCurrentUrl()).getQuery().replaceAll(".*id=([^&]+).*", "$1");
        assertThat(get("/customers?q=" + java.net.URLEncoder.encode("常州" + tag, StandardCharsets.UTF_8), "li.lei"))
                .as("the dry run writes nothing").doesNotContain(names[0]);

        browser.click(By.cssSelector("[data-test=commit-import]"));
        browser.wait.withTimeout(Duration.ofSeconds(120)).until(ExpectedConditions.attributeToBe(state, "data-status", "COMPLETED"));
        assertThat(browser.text(By.cssSelector("[data-test=count-created]"))).isEqualTo("3");
        browser.shot("import-done");
        String listed = get("/customers?q=" + java.net.URLEncoder.encode("常州" + tag, StandardCharsets.UTF_8), "li.lei");
        assertThat(listed).contains(names[0], names[1], names[2]).doesNotContain("丁云计算");
        assertThat(get("/customer-imports/" + importId, "li.lei")).contains("\"status\":\"COMPLETED\"");

        Path result = downloaded(() -> browser.click(By.cssSelector("[data-test=import-result]")));
        assertThat(result.getFileName().toString()).contains(importId);

        browser.open("/customers");
        browser.find(By.cssSelector("[data-test=customer-table]"));
        browser.click(By.cssSelector("[data-test=export-customers] button"));
        Path export = downloaded(() -> browser.click(By.cssSelector("[data-test=export-csv]")));
        String csv = Files.readString(export, StandardCharsets.UTF_8);
        assertThat(csv).startsWith("\uFEFF").contains(names[0], COMPANY);
    }

    /** The file the action makes the browser save into the downloads folder (complete, not the partial .crdownload). */
    private static Path downloaded(Runnable action) throws IOException {
        java.util.Set<Path> before;
        try (Stream<Path> files = Files.list(downloads)) {
            before = files.collect(java.util.stream.Collectors.toSet());
        }
        action.run();
        return browser.wait.until(d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(f -> !before.contains(f) && !f.toString().endsWith(".crdownload"))
                        .filter(f -> f.toFile().length() > 0).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
    }

    @Test
    @Order(12)
    void theManagerReassignsAnActiveContractAndItsRackingFlowGoesWithIt() throws Exception {
        String contractId = get("/racking-flows/" + flowId, "li.lei").replaceAll(".*\"contractId\":\"([^\"]+)\".*", "$1");
        browser.signInAs("wang.fang", "王芳", "/contracts/" + contractId);
        browser.waitForText(By.cssSelector("[data-test=contract-owner]"), "李雷");
        browser.choose("contract-reassign-to", "王芳");
        browser.click(By.cssSelector("[data-test=contract-reassign]"));
        browser.wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-test=contract-owner]"), "data-owner", "wang.fang"));
        browser.waitForText(By.cssSelector("[data-test=contract-owner]"), "王芳");
        // the page's history is read again: the reassignment is its newest entry
        browser.waitForText(By.cssSelector("[data-test=history] .el-timeline-item"), "转交 · 王芳");
        browser.shot("contract-reassigned");
        assertThat(get("/contracts/" + contractId, "wang.fang")).contains("\"ownerId\":\"wang.fang\"").contains("\"status\":\"ACTIVE\"");
        assertThat(get("/contracts/" + contractId + "/history", "wang.fang")).contains("REASSIGNED");
        assertThat(get("/racking-flows/" + flowId, "wang.fang")).contains("\"ownerId\":\"wang.fang\"");
        String sales = stack.identityProvider().issue("li.lei").accessToken();
        HttpResponse<String> former = HTTP.send(HttpRequest.newBuilder(stack.apiBaseUrl().resolve("/contracts/" + contractId))
                .header("Authorization", "Bearer " + sales).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(former.statusCode()).as("the previous owner no longer has it").isEqualTo(404);
    }

    /** The next stage's work item opens a moment after the previous one completes (the state machine moves on). */
    private static void awaitOpen(String workItemId, String userId) throws Exception {
        String token = stack.identityProvider().issue(userId).accessToken();
        HttpRequest request = HttpRequest.newBuilder(stack.apiBaseUrl().resolve("/work-items/" + workItemId))
                .header("Authorization", "Bearer " + token).build();
        browser.wait.until(d -> {
            try {
                HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("\"status\":\"OPEN\"");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }
}
