package io.tusk.control.state;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything the control plane starts from. Epoch 1 begins at {@code genesisTimeMillis} with the genesis nodes as its
 * committee, shards apportioned by stake ({@link ShardApportionment}), each node's shards contiguous in node-ID order.
 *
 * @param shardCount                  n, the number of shards (Walrus mainnet 1000; devnets 100)
 * @param genesisTimeMillis           start of epoch 1, Unix milliseconds
 * @param epochDurationMillis         nominal epoch length (the operator advances epochs on devnets)
 * @param maxEpochsAhead              how far ahead a blob may be stored or extended (Walrus: 53)
 * @param storagePricePerUnitPerEpoch price of one unit (1 MiB of encoded size) for one epoch
 * @param writePricePerUnit           one-time price per unit for writing a blob
 * @param faucetEnabled               whether {@code faucet} commands are accepted (devnets)
 * @param faucetMaxAmount             the most one {@code faucet} command may credit
 * @param adminAddress                the operator's account: it alone may advance epochs
 * @param initialBalances             accounts that exist at genesis, address to balance (the admin always exists)
 * @param nodes                       the committee of epoch 1, at least one node
 */
public record GenesisConfig(int shardCount, long genesisTimeMillis, long epochDurationMillis, int maxEpochsAhead,
                            long storagePricePerUnitPerEpoch, long writePricePerUnit, boolean faucetEnabled,
                            long faucetMaxAmount, String adminAddress, Map<String, Long> initialBalances,
                            List<GenesisNode> nodes) {
    public static final int DEFAULT_SHARD_COUNT = 1000;
    public static final int DEVNET_SHARD_COUNT = 100;
    public static final int DEFAULT_MAX_EPOCHS_AHEAD = 53;
    /** Walrus mainnet epochs last two weeks; devnets default to one hour. */
    public static final long DEVNET_EPOCH_DURATION_MILLIS = 3_600_000L;
    public static final long DEVNET_STORAGE_PRICE = 100;
    public static final long DEVNET_WRITE_PRICE = 200;
    public static final long DEVNET_FAUCET_MAX = 1_000_000_000_000_000L;

    public GenesisConfig {
        Objects.requireNonNull(adminAddress, "adminAddress");
        initialBalances = new TreeMap<>(Objects.requireNonNull(initialBalances, "initialBalances"));
        nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
    }

    /** A devnet genesis: 100 shards, faucet on, one-hour epochs, 53 epochs ahead, small prices. */
    public static GenesisConfig devnet(String adminAddress, long genesisTimeMillis, List<GenesisNode> nodes) {
        return new GenesisConfig(DEVNET_SHARD_COUNT, genesisTimeMillis, DEVNET_EPOCH_DURATION_MILLIS,
                DEFAULT_MAX_EPOCHS_AHEAD, DEVNET_STORAGE_PRICE, DEVNET_WRITE_PRICE, true, DEVNET_FAUCET_MAX,
                adminAddress, Map.of(), nodes);
    }

    public GenesisConfig withShardCount(int shards) {
        return new GenesisConfig(shards, genesisTimeMillis, epochDurationMillis, maxEpochsAhead,
                storagePricePerUnitPerEpoch, writePricePerUnit, faucetEnabled, faucetMaxAmount, adminAddress,
                initialBalances, nodes);
    }

    public GenesisConfig withEpochDurationMillis(long millis) {
        return new GenesisConfig(shardCount, genesisTimeMillis, millis, maxEpochsAhead,
                storagePricePerUnitPerEpoch, writePricePerUnit, faucetEnabled, faucetMaxAmount, adminAddress,
                initialBalances, nodes);
    }

    public GenesisConfig withFaucet(boolean enabled) {
        return new GenesisConfig(shardCount, genesisTimeMillis, epochDurationMillis, maxEpochsAhead,
                storagePricePerUnitPerEpoch, writePricePerUnit, enabled, faucetMaxAmount, adminAddress,
                initialBalances, nodes);
    }

    public GenesisConfig withInitialBalances(Map<String, Long> balances) {
        return new GenesisConfig(shardCount, genesisTimeMillis, epochDurationMillis, maxEpochsAhead,
                storagePricePerUnitPerEpoch, writePricePerUnit, faucetEnabled, faucetMaxAmount, adminAddress,
                balances, nodes);
    }

    /**
     * A storage node of the first committee. {@code proofOfPossession} is the node's BLS signature over the
     * proof-of-possession message for epoch 0 and account {@code owner}.
     */
    public record GenesisNode(String name, String networkAddress, String owner, byte[] blsPublicKey,
                              byte[] proofOfPossession, long stake) {
        public GenesisNode {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(networkAddress, "networkAddress");
            Objects.requireNonNull(owner, "owner");
            blsPublicKey = Objects.requireNonNull(blsPublicKey, "blsPublicKey").clone();
            proofOfPossession = Objects.requireNonNull(proofOfPossession, "proofOfPossession").clone();
        }

        @Override
        public byte[] blsPublicKey() {
            return blsPublicKey.clone();
        }

        @Override
        public byte[] proofOfPossession() {
            return proofOfPossession.clone();
        }
    }
}
