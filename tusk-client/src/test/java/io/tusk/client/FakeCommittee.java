package io.tusk.client;

import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.metadata.BlobId;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * A committee of {@link FakeNode}s shaped like the default devnet (4 members of 25 shards each, 100 shards), and a
 * {@link TuskClient} whose node connections are those fakes. Keys are fixed, so every run signs the same bytes.
 */
final class FakeCommittee implements AutoCloseable {
    static final int SHARDS = 100;
    static final int MEMBERS = 4;
    static final int EPOCH = 3;

    final List<FakeNode> nodes = new ArrayList<>();
    final CommitteeInfo info;
    final Committee committee;
    final TuskClient client;

    FakeCommittee() {
        List<CommitteeMember> members = new ArrayList<>();
        List<BlsKeyPair> keys = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            byte[] secret = new byte[32];
            secret[0] = (byte) (m + 1);
            BlsKeyPair key = BlsKeyPair.fromSecret(secret);
            keys.add(key);
            List<Integer> shards = new ArrayList<>();
            for (int s = m * SHARDS / MEMBERS; s < (m + 1) * SHARDS / MEMBERS; s++) {
                shards.add(s);
            }
            members.add(new CommitteeMember("0x0" + m, "node-" + m, "127.0.0.1:" + (9000 + m), key.publicKey().bytes(), 1,
                    shards));
        }
        info = new CommitteeInfo(EPOCH, SHARDS, members);
        committee = new Committee(info);
        byte[] account = new byte[32];
        account[0] = 42;
        Map<String, FakeNode> byAddress = new HashMap<>();
        for (int m = 0; m < MEMBERS; m++) {
            FakeNode node = new FakeNode(members.get(m).networkAddress(), keys.get(m), EPOCH, SHARDS,
                    new HashSet<>(members.get(m).shards()));
            nodes.add(node);
            byAddress.put(node.address(), node);
        }
        // The control plane is never asked: the operations under test get the committee from the test.
        client = new TuskClient(ClientConfig.of(URI.create("http://127.0.0.1:1"), Ed25519KeyPair.fromSecret(account)),
                real -> byAddress.get(real.address()));
    }

    /** Fakes that hold what a store would have left on each member. */
    FakeCommittee holding(EncodedBlob blob) {
        nodes.forEach(node -> node.hold(blob));
        return this;
    }

    /** The member holding pair {@code pair} of {@code blobId}. */
    FakeNode holderOf(BlobId blobId, int pair) {
        return nodes.get(committee.memberOfPair(blobId, pair));
    }

    @Override
    public void close() {
        client.close();
    }
}
