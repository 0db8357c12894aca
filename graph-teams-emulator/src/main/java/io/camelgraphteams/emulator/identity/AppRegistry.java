package io.camelgraphteams.emulator.identity;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The app registrations the identity endpoint knows, keyed by client id. */
public final class AppRegistry {

    private final String defaultTenantId;
    private final Map<String, RegisteredApp> apps = new ConcurrentHashMap<>();

    public AppRegistry(String defaultTenantId) {
        this.defaultTenantId = defaultTenantId;
    }

    /** Adds or replaces a registration; one without a tenant joins the default tenant. */
    public RegisteredApp register(RegisteredApp app) {
        RegisteredApp placed = app.inTenantIfUnset(defaultTenantId);
        apps.put(placed.clientId(), placed);
        return placed;
    }

    public RegisteredApp find(String clientId) {
        return clientId == null ? null : apps.get(clientId);
    }

    public Collection<RegisteredApp> all() {
        return List.copyOf(apps.values());
    }
}
