package org.stsrelay.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {

    @Test
    @DisplayName("a connection past the cap is closed at once; a closed one frees its place")
    void capsOpenConnections() {
        ConnectionLimit limit = new ConnectionLimit(2);
        EmbeddedChannel first = new EmbeddedChannel(limit);
        EmbeddedChannel second = new EmbeddedChannel(limit);

        EmbeddedChannel third = new EmbeddedChannel(limit);
        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        assertThat(third.isOpen()).isFalse();

        first.close();
        EmbeddedChannel fourth = new EmbeddedChannel(limit);
        assertThat(fourth.isOpen()).isTrue();

        second.close();
        fourth.close();
    }
}
