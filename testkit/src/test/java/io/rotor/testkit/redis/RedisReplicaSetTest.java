package io.rotor.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisReplicaSetTest {

    private static final String ADMIN_PW = "admin-pw";

    @RegisterExtension
    final RedisReplicaSetExtension redis = RedisReplicaSetExtension.with(node -> node
            .defaultUserPassword(ADMIN_PW)
            .aclUser(AclUser.fullAccess("app", "initial-pw")));

    @Test
    void startsAPrimaryAndTwoReplicasOnDistinctPortsThatReplicateData() {
        RedisReplicaSet set = redis.replicaSet();
        assertThat(set.nodes()).hasSize(3);
        assertThat(set.nodes()).extracting(RedisServerProcess::port).doesNotHaveDuplicates();

        try (RespClient primary = set.primary().connectAsDefaultUser()) {
            assertThat(primary.callText("INFO", "replication")).contains("connected_slaves:2");
            primary.callText("SET", "greeting", "hello");
        }
        for (RedisServerProcess replica : set.replicas()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (RespClient client = replica.connectAsDefaultUser()) {
                    assertThat(client.call("GET", "greeting")).isEqualTo(new RespReply.BulkString("hello"));
                }
            });
        }
    }

    @Test
    void aclChangeOnThePrimaryIsNotVisibleOnReplicas() {
        RedisReplicaSet set = redis.replicaSet();
        try (RespClient primary = set.primary().connectAsDefaultUser()) {
            primary.callText("ACL", "SETUSER", "app", ">rotated-pw");
        }

        assertThat(authenticates(set.primary(), "app", "rotated-pw")).isTrue();
        for (RedisServerProcess replica : set.replicas()) {
            assertThat(authenticates(replica, "app", "rotated-pw")).isFalse();
            assertThat(authenticates(replica, "app", "initial-pw")).isTrue();
        }
    }

    @Test
    void killedReplicaRecoversAndCatchesUpWithThePrimary() {
        RedisReplicaSet set = redis.replicaSet();
        RedisServerProcess replica = set.replicas().get(0);
        replica.kill();

        try (RespClient primary = set.primary().connectAsDefaultUser()) {
            primary.callText("SET", "written-while-down", "yes");
        }
        replica.restart();
        set.awaitReplication();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (RespClient client = replica.connectAsDefaultUser()) {
                assertThat(client.call("GET", "written-while-down")).isEqualTo(new RespReply.BulkString("yes"));
            }
        });
    }

    private static boolean authenticates(RedisServerProcess server, String user, String password) {
        try (RespClient client = server.connect()) {
            return client.auth(user, password);
        }
    }
}
