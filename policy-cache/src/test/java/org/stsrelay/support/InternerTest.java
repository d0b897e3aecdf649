package org.stsrelay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InternerTest {

    @Test
    @DisplayName("equal values come back as the first instance")
    void sharesEqualValues() {
        Interner<String> interner = new Interner<>(16);
        String first = new String("example.com");
        String second = new String("example.com");

        assertThat(interner.intern(first)).isSameAs(first);
        assertThat(interner.intern(second)).isSameAs(first);
    }

    @Test
    @DisplayName("a value is always returned equal to itself, even when values collide in one slot")
    void collisionsKeepEquality() {
        Interner<String> interner = new Interner<>(1);
        for (int i = 0; i < 100; i++) {
            String value = "domain" + (i % 7) + ".example";
            assertThat(interner.intern(new String(value))).isEqualTo(value);
        }
    }

    @Test
    @DisplayName("a value that took another's slot is shared from then on")
    void latestValueTakesTheSlot() {
        Interner<String> interner = new Interner<>(1);
        String a = new String("a.example");
        String b = new String("b.example");
        interner.intern(a);
        interner.intern(b);

        assertThat(interner.intern(new String("b.example"))).isSameAs(b);
        assertThat(interner.intern(new String("a.example"))).isNotSameAs(a).isEqualTo("a.example");
    }

    @Test
    @DisplayName("a capacity outside 1 to 2^20 is refused")
    void refusesBadCapacity() {
        assertThatThrownBy(() -> new Interner<String>(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Interner<String>((1 << 20) + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
