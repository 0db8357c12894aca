package io.camelgraphteams.emulator.control;

import io.camelgraphteams.emulator.delivery.Chaos;
import io.camelgraphteams.emulator.delivery.DeliveryLog;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import io.camelgraphteams.emulator.delivery.ValidationTokenVersion;
import io.camelgraphteams.emulator.identity.AppRegistry;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.subscriptions.SubscriptionStore;
import io.camelgraphteams.emulator.teams.TeamsStore;
import io.camelgraphteams.emulator.time.EmulatorClock;

/**
 * What the control API reaches of a running emulator. The emulator implements it, so this package serves its Java API
 * as JSON without depending on the class that wires everything together.
 */
public interface EmulatorControl {

    String tenantId();

    String graphV1Url();

    String graphBetaUrl();

    String authority();

    String oidcAuthority();

    String tokenEndpointUrl();

    String openIdConfigurationUrl();

    String commonOpenIdConfigurationUrl();

    String jwksUrl();

    String tlsCertificatePem();

    AppRegistry apps();

    RegisteredApp registerApp(RegisteredApp app);

    String accessToken(String clientId);

    TeamsStore teams();

    SubscriptionStore subscriptions();

    void sendLifecycleEvent(String subscriptionId, LifecycleEvent event);

    DeliveryLog deliveryLog();

    Chaos chaos();

    EmulatorClock clock();

    ValidationTokenVersion validationTokenVersion();

    void validationTokenVersion(ValidationTokenVersion version);
}
