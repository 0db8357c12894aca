package io.camelgraphteams.component.receiving;

import java.io.IOException;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.LogCapture;
import io.camelgraphteams.component.testsupport.OpenIdTestServer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.component.testsupport.TestTokenIssuer;
import org.apache.camel.Exchange;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.component.testsupport.ReceivingContext.APP_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CERTIFICATE_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random mutations of genuine encrypted batches (bit flips, truncation, field deletion and duplication, type
 * changes, tokens swapped between batches of two tenants, base64 re-encoded, content fields swapped between items...).
 * Properties: never a 500 (nor any status outside the documented ones); every exchange that claims resource data
 * carries a plaintext that was genuinely sent; no exchange goes without resource data (the endpoint has it, and an
 * item without content is fetched or dropped); nothing logged above WARN and no stack trace at WARN; and the server keeps
 * answering a genuine batch with 202. Reproduce a run with {@code -Dfuzz.seed=<the printed seed>};
 * {@code -Dfuzz.iterations} changes the count (default 300).
 */
class BatchFuzzTest {

    private static final String TENANT_B = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    private static final String CHAT = "19:fuzz-chat_97f62344@unq.gbl.spaces";
    private static final int MAX_BODY = 64 * 1024;
    private static final Set<Integer> DOCUMENTED_STATUSES = Set.of(202, 400, 401, 413, 415, 503);

    static TestTokenIssuer issuer;
    static OpenIdTestServer identityPlatform;
    static ReceivingContext receiving;
    static LogCapture logs;

    @TempDir
    static Path dir;

    /** The genuine batches the mutations start from, and everything genuinely sent in them. */
    private final List<ObjectNode> corpus = new ArrayList<>();
    private final Set<String> genuinePlaintexts = new HashSet<>();
    private int messageCounter;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestTokenIssuer();
        identityPlatform = OpenIdTestServer.start(issuer.jwkSetJson());
        receiving = ReceivingContext.start(ReceivingContext.chatsUri(ReceivingContext.keyStore(dir),
                identityPlatform.openIdConfigurationUrl(), "maxBodySize=" + MAX_BODY));
        logs = LogCapture.start();
    }

    @AfterAll
    static void stop() {
        if (logs != null) {
            logs.close();
        }
        if (receiving != null) {
            receiving.close();
        }
        if (identityPlatform != null) {
            identityPlatform.close();
        }
    }

    @Test
    void mutatedBatchesNeverForgeAnExchangeNorFailTheServer() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int iterations = Integer.getInteger("fuzz.iterations", 300);
        String reproduce = "BatchFuzzTest seed " + seed + " (reproduce with -Dfuzz.seed=" + seed + ")";
        System.out.println(reproduce);
        Random random = new Random(seed);
        for (int i = 0; i < 12; i++) {
            corpus.add(genuineBatch(random, i % 3 == 2 ? TENANT_B : TENANT_ID));
        }

        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> mutationsUsed = new TreeMap<>();
        // across the whole run: the corpus is replayed, edited, over and over; each message still arrives once
        Map<String, Integer> routedPerPlaintext = new TreeMap<>();
        int contentExchanges = 0;
        int referenceExchanges = 0;
        long started = System.nanoTime();
        for (int iteration = 0; iteration < iterations; iteration++) {
            ObjectNode base = corpus.get(random.nextInt(corpus.size())).deepCopy();
            Mutated mutated = mutate(random, base);
            mutated.names().forEach(name -> mutationsUsed.merge(name, 1, Integer::sum));
            String what = reproduce + ", iteration " + iteration + ", mutations " + mutated.names();

            receiving.received().clear();
            HttpResponse<String> response = receiving.postBatch(mutated.body());
            statuses.merge(response.statusCode(), 1, Integer::sum);
            assertThat(response.statusCode()).as(what).isNotEqualTo(500).isIn(DOCUMENTED_STATUSES);

            for (Exchange exchange : receiving.received()) {
                String body = exchange.getMessage().getBody(String.class);
                if (Boolean.TRUE.equals(exchange.getMessage().getHeader(GraphTeamsConstants.RESOURCE_DATA_INCLUDED))) {
                    assertThat(genuinePlaintexts).as(what + ": an exchange with resource data").contains(body);
                    assertThat(routedPerPlaintext.merge(body, 1, Integer::sum)).as(what + ": times one message was "
                                                                                  + "routed").isEqualTo(1);
                    contentExchanges++;
                } else {
                    // a resource-data endpoint routes content only: an item without it is fetched from Graph or
                    // dropped, never forwarded with whatever resourceData it was posted with
                    referenceExchanges++;
                }
            }
            if (iteration % 25 == 24) {
                assertStillServing(random, what);
            }
        }
        assertStillServing(random, reproduce + ", after the last iteration");
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println(reproduce + ": " + iterations + " mutated batches in " + millis + " ms, statuses " + statuses
                           + ", exchanges with genuine content " + contentExchanges + ", reference-only exchanges "
                           + referenceExchanges + ", mutations " + mutationsUsed);

        assertThat(referenceExchanges).as(reproduce + ": exchanges without resource data").isZero();
        assertThat(logs.events(e -> e.isAbove(Level.WARN))).as(reproduce + ": events above WARN").isEmpty();
        assertThat(logs.events(e -> e.isAtLeast(Level.WARN) && e.hasThrown())).as(reproduce + ": stack traces at WARN")
                .isEmpty();
        // the mutations must reach every outcome, or the properties above were checked on too little
        assertThat(statuses.keySet()).as(reproduce + ": statuses seen").contains(202, 400, 401, 413);
        assertThat(contentExchanges).as(reproduce + ": mutated batches that still delivered genuine content")
                .isPositive();
    }

    private void assertStillServing(Random random, String what) throws Exception {
        ObjectNode batch = genuineBatch(random, TENANT_ID);
        receiving.received().clear();
        assertThat(receiving.postBatch(bytes(batch)).statusCode()).as(what + ": a genuine batch").isEqualTo(202);
        List<String> expected = new ArrayList<>();
        for (JsonNode item : batch.get("value")) {
            expected.add(item.get("_plaintext_").asText());
        }
        assertThat(receiving.received()).extracting(e -> e.getMessage().getBody(String.class))
                .as(what + ": a genuine batch").containsExactlyInAnyOrderElementsOf(expected);
    }

    // ------------------------------------------------------------------------------------------- corpus

    /** One to three encrypted items of one tenant with a valid v1 or v2 token (plaintexts kept out of the wire form). */
    private ObjectNode genuineBatch(Random random, String tenant) {
        List<ObjectNode> items = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            String messageId = "fz" + (++messageCounter);
            String plaintext = GraphNotifications.chatMessage(CHAT, messageId, "fuzz message " + messageId);
            genuinePlaintexts.add(plaintext);
            ObjectNode item = GraphNotifications.withEncryptedContent(
                    GraphNotifications.chatItem("sub-" + tenant.substring(0, 8), tenant, CLIENT_STATE, CHAT, messageId),
                    TestEncryption.encrypt(plaintext.getBytes(StandardCharsets.UTF_8),
                            TestKeys.cached(CERTIFICATE_ID).certificate(), CERTIFICATE_ID));
            item.put("_plaintext_", plaintext);
            items.add(item);
        }
        String token = random.nextBoolean() ? issuer.v1Token(APP_ID, tenant).sign() : issuer.v2Token(APP_ID, tenant).sign();
        ObjectNode batch = JsonNodeFactory.instance.objectNode();
        ArrayNode value = batch.putArray("value");
        items.forEach(value::add);
        batch.putArray("validationTokens").add(token);
        return batch;
    }

    /** The batch as Graph would post it: without the test's bookkeeping field. */
    private static byte[] bytes(ObjectNode batch) {
        ObjectNode wire = batch.deepCopy();
        for (JsonNode item : wire.path("value")) {
            if (item instanceof ObjectNode object) {
                object.remove("_plaintext_");
            }
        }
        return wire.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------- mutations

    private record Mutated(byte[] body, List<String> names) {
    }

    private static final List<String> TREE_MUTATIONS = List.of("delete field", "change type", "swap tokens",
            "swap content field", "re-encode base64", "odd string", "duplicate item", "drop tokens", "shuffle items",
            "deep nesting", "clientState", "tenant", "inflate", "edit changeType", "edit message id", "edit chat",
            "swap envelopes");
    private static final List<String> TEXT_MUTATIONS = List.of("flip bit", "truncate", "duplicate field",
            "insert byte");

    private Mutated mutate(Random random, ObjectNode batch) {
        List<String> names = new ArrayList<>();
        int count = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        for (int i = 0; i < count; i++) {
            String name = TREE_MUTATIONS.get(random.nextInt(TREE_MUTATIONS.size()));
            applyTreeMutation(random, batch, name);
            names.add(name);
        }
        byte[] body;
        if (random.nextInt(3) == 0) {
            String name = TEXT_MUTATIONS.get(random.nextInt(TEXT_MUTATIONS.size()));
            body = applyTextMutation(random, batch, name);
            names.add(name);
        } else {
            body = bytes(batch);
        }
        return new Mutated(body, names);
    }

    private void applyTreeMutation(Random random, ObjectNode batch, String name) {
        List<ObjectNode> objects = objectsOf(batch);
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        switch (name) {
            case "delete field" -> {
                List<String> fields = fieldNames(target);
                if (!fields.isEmpty()) {
                    target.remove(fields.get(random.nextInt(fields.size())));
                }
            }
            case "change type" -> {
                List<String> fields = fieldNames(target);
                if (!fields.isEmpty()) {
                    target.set(fields.get(random.nextInt(fields.size())), randomValue(random));
                }
            }
            case "swap tokens" -> batch.set("validationTokens",
                    corpus.get(random.nextInt(corpus.size())).get("validationTokens").deepCopy());
            case "swap content field" -> {
                ObjectNode content = randomContent(random, batch);
                ObjectNode donor = randomContent(random, corpus.get(random.nextInt(corpus.size())));
                if (content != null && donor != null) {
                    String field = List.of("data", "dataKey", "dataSignature").get(random.nextInt(3));
                    content.set(field, donor.get(field).deepCopy());
                }
            }
            case "re-encode base64" -> {
                ObjectNode content = randomContent(random, batch);
                if (content != null) {
                    String field = List.of("data", "dataKey", "dataSignature").get(random.nextInt(3));
                    JsonNode value = content.get(field);
                    if (value != null && value.isTextual()) {
                        content.put(field, reencode(random, value.asText()));
                    }
                }
            }
            case "odd string" -> {
                List<String> fields = fieldNames(target);
                if (!fields.isEmpty()) {
                    target.put(fields.get(random.nextInt(fields.size())), oddString(random));
                }
            }
            case "duplicate item" -> {
                ArrayNode value = arrayOrNull(batch.get("value"));
                if (value != null && !value.isEmpty()) {
                    value.add(value.get(random.nextInt(value.size())).deepCopy());
                }
            }
            case "drop tokens" -> {
                if (random.nextBoolean()) {
                    batch.remove("validationTokens");
                } else {
                    batch.putArray("validationTokens");
                }
            }
            case "shuffle items" -> {
                ArrayNode value = arrayOrNull(batch.get("value"));
                if (value != null && value.size() > 1) {
                    JsonNode first = value.remove(0);
                    value.add(first);
                }
            }
            case "deep nesting" -> {
                JsonNode nested = JsonNodeFactory.instance.textNode("bottom");
                for (int depth = 0; depth < 20 + random.nextInt(30); depth++) {
                    ArrayNode wrapper = JsonNodeFactory.instance.arrayNode();
                    wrapper.add(nested);
                    nested = wrapper;
                }
                target.set("nested", nested);
            }
            case "clientState" -> {
                ObjectNode item = randomItem(random, batch);
                if (item != null) {
                    item.put("clientState", random.nextBoolean() ? CLIENT_STATE.substring(1) : CLIENT_STATE + "x");
                }
            }
            case "tenant" -> {
                ObjectNode item = randomItem(random, batch);
                if (item != null) {
                    item.put("tenantId", random.nextBoolean() ? TENANT_B : TENANT_ID);
                }
            }
            case "inflate" -> target.put("padding", "p".repeat(MAX_BODY + random.nextInt(1024)));
            // issue 11: a captured batch replayed with its unsigned envelope edited
            case "edit changeType" -> {
                ObjectNode item = randomItem(random, batch);
                if (item != null) {
                    item.put("changeType", List.of("created", "updated", "deleted", "edited").get(random.nextInt(4)));
                }
            }
            case "edit message id" -> {
                ObjectNode item = randomItem(random, batch);
                if (item != null) {
                    item.put("resource", "chats('" + CHAT + "')/messages('fz" + random.nextInt(1000) + "')");
                }
            }
            case "edit chat" -> {
                ObjectNode item = randomItem(random, batch);
                if (item != null) {
                    item.put("resource", item.path("resource").asText().replace(CHAT, "19:another-chat@thread.v2"));
                }
            }
            case "swap envelopes" -> {
                // one item's encryptedContent under another item's envelope, from any genuine batch
                ObjectNode item = randomItem(random, batch);
                ObjectNode donor = randomItem(random, corpus.get(random.nextInt(corpus.size())));
                if (item != null && donor != null && donor.has("encryptedContent")) {
                    item.set("encryptedContent", donor.get("encryptedContent").deepCopy());
                    item.set("_plaintext_", donor.get("_plaintext_"));
                }
            }
            default -> throw new IllegalStateException(name);
        }
    }

    private byte[] applyTextMutation(Random random, ObjectNode batch, String name) {
        byte[] body = bytes(batch);
        switch (name) {
            case "flip bit" -> {
                int flips = 1 + random.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return body;
            }
            case "truncate" -> {
                return java.util.Arrays.copyOf(body, random.nextInt(body.length));
            }
            case "insert byte" -> {
                int at = random.nextInt(body.length + 1);
                byte[] longer = new byte[body.length + 1];
                System.arraycopy(body, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(body, at, longer, at + 1, body.length - at);
                return longer;
            }
            case "duplicate field" -> {
                JsonNode wire = parse(body);
                List<ObjectNode> objects = objectsOf(wire);
                ObjectNode target = objects.get(random.nextInt(objects.size()));
                List<String> fields = fieldNames(target);
                if (fields.isEmpty()) {
                    return body;
                }
                return writeDuplicating(wire, target, fields.get(random.nextInt(fields.size())));
            }
            default -> throw new IllegalStateException(name);
        }
    }

    /** Serialises {@code root} with {@code field} written twice in {@code target} (a tree cannot hold duplicate keys). */
    private static byte[] writeDuplicating(JsonNode root, ObjectNode target, String field) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = GraphNotifications.JSON.getFactory().createGenerator(out)) {
            write(generator, root, target, field);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return GraphNotifications.JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(JsonGenerator generator, JsonNode node, ObjectNode target, String field) throws IOException {
        if (node.isObject()) {
            generator.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                int times = node == target && entry.getKey().equals(field) ? 2 : 1;
                for (int i = 0; i < times; i++) {
                    generator.writeFieldName(entry.getKey());
                    write(generator, entry.getValue(), target, field);
                }
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node) {
                write(generator, element, target, field);
            }
            generator.writeEndArray();
        } else {
            generator.writeTree(node);
        }
    }

    private static List<ObjectNode> objectsOf(JsonNode root) {
        List<ObjectNode> objects = new ArrayList<>();
        collect(root, objects);
        return objects;
    }

    private static void collect(JsonNode node, List<ObjectNode> objects) {
        if (node instanceof ObjectNode object) {
            objects.add(object);
        }
        for (JsonNode child : node) {
            collect(child, objects);
        }
    }

    /** Field names a mutation may touch: never the test's bookkeeping field. */
    private static List<String> fieldNames(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        names.remove("_plaintext_");
        return names;
    }

    private static ArrayNode arrayOrNull(JsonNode node) {
        return node instanceof ArrayNode array ? array : null;
    }

    private static ObjectNode randomItem(Random random, ObjectNode batch) {
        ArrayNode value = arrayOrNull(batch.get("value"));
        if (value == null || value.isEmpty()) {
            return null;
        }
        return value.get(random.nextInt(value.size())) instanceof ObjectNode item ? item : null;
    }

    private static ObjectNode randomContent(Random random, ObjectNode batch) {
        ObjectNode item = randomItem(random, batch);
        return item != null && item.get("encryptedContent") instanceof ObjectNode content ? content : null;
    }

    private static JsonNode randomValue(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(8)) {
            case 0 -> f.numberNode(random.nextInt());
            case 1 -> f.numberNode(random.nextDouble() * 1e300);
            case 2 -> f.booleanNode(random.nextBoolean());
            case 3 -> f.nullNode();
            case 4 -> f.arrayNode().add("x");
            case 5 -> f.objectNode().put("x", 1);
            case 6 -> f.numberNode(new java.math.BigInteger("9".repeat(40)));
            default -> f.textNode("");
        };
    }

    private static String oddString(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> "";
            case 1 -> "x".repeat(5000);
            case 2 -> "line\r\nbreak";
            case 3 -> "\u0000\u0001\u001f";
            case 4 -> "ünïcødé 😀 \u202E";
            case 5 -> "<script>alert(1)</script>";
            default -> "chats('x')/messages('1')";
        };
    }

    /** The same bytes in another base64 spelling (MIME lines, URL-safe alphabet, no padding, whitespace), or a cut. */
    private static String reencode(Random random, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return base64 + "=";
        }
        return switch (random.nextInt(5)) {
            case 0 -> Base64.getMimeEncoder().encodeToString(bytes);
            case 1 -> Base64.getUrlEncoder().encodeToString(bytes);
            case 2 -> Base64.getEncoder().withoutPadding().encodeToString(bytes);
            case 3 -> " " + base64 + "\n";
            default -> base64.substring(0, (base64.length() / 4 - 1) * 4);
        };
    }
}
