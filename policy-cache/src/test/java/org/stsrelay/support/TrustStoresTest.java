package org.stsrelay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.util.List;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.stsrelay.policy.fetch.TestCa;

class TrustStoresTest {

    @Test
    void trustsTheExtraCasBesidesTheSystemOnes() throws Exception {
        TestCa extra = new TestCa("extra");
        TestCa unknown = new TestCa("unknown");

        X509ExtendedTrustManager pkix = TrustStores.pkix(List.of(extra.certificate()));

        pkix.checkServerTrusted(extra.issue("mx.example.test").chain(), "UNKNOWN");
        assertThatThrownBy(() ->
                        pkix.checkServerTrusted(unknown.issue("mx.example.test").chain(), "UNKNOWN"))
                .isInstanceOf(CertificateException.class);
        assertThat(pkix.getAcceptedIssuers())
                .contains(extra.certificate())
                .contains(TrustStores.pkix(List.of()).getAcceptedIssuers());
    }

    @Test
    void withoutExtraCasOnlyTheSystemCasAreTrusted() throws Exception {
        TestCa extra = new TestCa("extra");

        X509ExtendedTrustManager pkix = TrustStores.pkix(List.of());

        assertThat(pkix.getAcceptedIssuers()).doesNotContain(extra.certificate());
        assertThatThrownBy(() ->
                        pkix.checkServerTrusted(extra.issue("mx.example.test").chain(), "UNKNOWN"))
                .isInstanceOf(CertificateException.class);
    }
}
