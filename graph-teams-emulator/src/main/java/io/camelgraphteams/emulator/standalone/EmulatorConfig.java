package io.camelgraphteams.emulator.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.GraphEmulatorBuilder;
import io.camelgraphteams.emulator.SeedData;
import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.identity.CertificateParser;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.time.GraphTimings;

/**
 * The standalone emulator's JSON config file. Every field is optional:
 *
 * <pre>
 * {
 *   "host": "127.0.0.1", "graphPort": 8081, "identityPort": 8443,
 *   "tenantId": "...", "tenants": ["another-tenant-id"],
 *   "timeScale": 1.0,
 *   "apps": [ {"clientId": "...", "clientSecret": "...", "secretExpiresAt": "2030-01-01T00:00:00Z",
 *              "certificatePem": "-----BEGIN CERTIFICATE-----...", "tenantId": "...", "permissions": ["Chat.Read.All"]} ],
 *   "seed": { ...see {@link SeedData}... }
 * }
 * </pre>
 */
public final class EmulatorConfig {

    private EmulatorConfig() {
    }

    public static JsonNode read(Path file) throws IOException {
        JsonNode node = Json.parseOrNull(Files.readString(file));
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("config file " + file + " is not a JSON object");
        }
        return node;
    }

    /** Applies a config tree to a builder; returns true when it registered at least one app. */
    public static boolean apply(JsonNode config, GraphEmulatorBuilder builder) {
        if (config.hasNonNull("host")) {
            builder.host(config.get("host").asText());
        }
        if (config.hasNonNull("graphPort")) {
            builder.graphPort(config.get("graphPort").asInt());
        }
        if (config.hasNonNull("identityPort")) {
            builder.identityPort(config.get("identityPort").asInt());
        }
        if (config.hasNonNull("tenantId")) {
            builder.tenantId(config.get("tenantId").asText());
        }
        if (config.has("tenants")) {
            config.get("tenants").forEach(t -> builder.addTenant(t.asText()));
        }
        if (config.hasNonNull("timeScale") || config.hasNonNull("deliveryTimeoutMillis")) {
            GraphTimings timings = GraphTimings.graphDefaults();
            if (config.hasNonNull("timeScale")) {
                timings = timings.scaled(config.get("timeScale").asDouble());
            }
            if (config.hasNonNull("deliveryTimeoutMillis")) {
                timings = timings.withDeliveryTimeout(Duration.ofMillis(config.get("deliveryTimeoutMillis").asLong()));
            }
            builder.timings(timings);
        }
        boolean anyApp = false;
        for (JsonNode app : config.path("apps")) {
            builder.registerApp(app(app));
            anyApp = true;
        }
        if (config.has("seed")) {
            builder.seed(SeedData.fromJson(config.get("seed")));
        }
        return anyApp;
    }

    static RegisteredApp app(JsonNode node) {
        String clientId = Json.text(node, "clientId");
        if (clientId == null) {
            throw new IllegalArgumentException("every entry of \"apps\" needs a \"clientId\"");
        }
        RegisteredApp.Builder app = RegisteredApp.builder(clientId);
        if (node.hasNonNull("tenantId")) {
            app.tenantId(node.get("tenantId").asText());
        }
        if (node.hasNonNull("displayName")) {
            app.displayName(node.get("displayName").asText());
        }
        if (node.hasNonNull("clientSecret")) {
            Instant expires = node.hasNonNull("secretExpiresAt") ? Instant.parse(node.get("secretExpiresAt").asText()) : null;
            app.secret(node.get("clientSecret").asText(), expires);
        }
        if (node.hasNonNull("certificatePem")) {
            app.certificate(CertificateParser.parse(node.get("certificatePem").asText()));
        }
        if (node.has("permissions")) {
            Set<String> permissions = new LinkedHashSet<>();
            node.get("permissions").forEach(p -> permissions.add(p.asText()));
            app.permissions(permissions);
        }
        return app.build();
    }
}
