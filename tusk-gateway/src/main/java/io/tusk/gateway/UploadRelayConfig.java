package io.tusk.gateway;

import io.tusk.client.RelayTip;

/**
 * The upload relay's tip (docs/upload-relay.md): {@code tip} in Walrus's {@code TipConfig} shape ({@link RelayTip#NONE}:
 * the relay is free), how many epochs back a payment is still accepted ({@code maxAgeEpochs}: 1 accepts the current
 * epoch's and the one before), and how many used payments the relay keeps at most ({@code usedCapacity}).
 */
public record UploadRelayConfig(RelayTip tip, int maxAgeEpochs, int usedCapacity) {
    /** A free relay ({@code "no_tip"}), Walrus's default. */
    public static final UploadRelayConfig NO_TIP = new UploadRelayConfig(RelayTip.NONE, 1, 100_000);

    public UploadRelayConfig {
        if (tip == null) {
            tip = RelayTip.NONE;
        }
        if (maxAgeEpochs < 0 || maxAgeEpochs > 1000) {
            throw new IllegalArgumentException("gateway configuration: invalid relayTipMaxAgeEpochs: " + maxAgeEpochs
                    + " (0 to 1000)");
        }
        if (usedCapacity < 1) {
            throw new IllegalArgumentException("gateway configuration: invalid relayTipCacheSize: " + usedCapacity);
        }
    }

    /** A relay asking {@code tip} with the defaults for the rest. */
    public static UploadRelayConfig tipped(RelayTip tip) {
        return new UploadRelayConfig(tip, NO_TIP.maxAgeEpochs(), NO_TIP.usedCapacity());
    }
}
