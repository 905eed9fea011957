package io.groupwire.deploy.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The delivery guarantee under crashes, outages and provider faults: nothing accepted is lost,
 * no SMS is sent twice, and every delivery that did not arrive is accounted for by its ledger.
 */
@Tag("fault")
class FaultSuiteTest {

    @Test
    void singleRedisLosesNothingAndSendsNoSmsTwice() throws Exception {
        Path dir = FaultSuite.workDir("single");
        FaultPlan plan = FaultPlan.fromSystemProperties();
        FaultReport report;
        try (SingleRedis redis = new SingleRedis(dir.resolve("redis"), 2_000)) {
            report = FaultSuite.run(redis, plan, dir);
        }
        check(report, dir);
    }

    @Test
    void redisClusterLosesNothingAndSendsNoSmsTwiceThroughAMasterFailover() throws Exception {
        Path dir = FaultSuite.workDir("cluster");
        FaultPlan plan = FaultPlan.fromSystemProperties();
        FaultReport report;
        try (ClusterRedis redis = new ClusterRedis()) {
            report = FaultSuite.run(redis, plan, dir);
        }
        check(report, dir);
    }

    static void check(FaultReport report, Path dir) throws Exception {
        report.print(System.out);
        Files.writeString(dir.resolve("report.json"), report.toJson().encodePrettily());
        assertNull(report.chaosFailure, "the faults were all inflicted");
        if (report.plan.faults()) {
            assertEquals(1, report.redisFaults, "the Redis fault happened");
            assertTrue(report.kills.values().stream().mapToInt(Integer::intValue).sum() >= 3, "processes were killed: " + report.kills);
        }
        assertEquals(0, report.refused, "every message was accepted in the end");
        assertEquals(report.plan.messages(), report.accepted);
        assertEquals(0, report.sandboxDropped, "the sandbox kept every receipt");
        assertEquals(0, report.result.unexpected(), "nothing arrived that was not sent, or at a wrong address");
        assertEquals(0, report.lost(), "lost deliveries, e.g. " + report.result.pendingExamples());
        assertEquals(0, report.smsDuplicated(), "an SMS was sent twice");
        // a pipeline that delivered nothing would pass the checks above; under these faults on two
        // cores 60-90% arrive and the rest expire behind the outages, accounted for
        assertTrue(report.result.total().delivered > report.result.total().expected * 0.3, "deliveries arrived");
    }
}
