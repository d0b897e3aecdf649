package org.stsrelay.runtime;

import java.io.IOException;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.control.FileControlPlane;
import org.stsrelay.control.LegacyRequests;
import org.stsrelay.control.RequestHandler;
import org.stsrelay.control.RequestRouter;

/**
 * Operators' requests: the control directory in the spool, with requests left in the formats of earlier
 * versions migrated into it; each stage registers the kinds it applies as it starts.
 */
final class ControlStage implements Stage, RequestKinds {

    private final RelayConfig config;
    private RequestRouter router;

    ControlStage(RelayConfig config) {
        this.config = config;
    }

    @Override
    public void start() throws IOException {
        FileControlPlane plane = FileControlPlane.ofSpool(config.spool().directory());
        LegacyRequests legacy = new LegacyRequests(plane);
        legacy.migrateSpool(plane.directory());
        legacy.migratePolicies(config.mtaSts().storeDirectory());
        legacy.migrateReports(config.tlsrpt().directory());
        router = new RequestRouter(plane);
    }

    @Override
    public void register(Class<? extends ControlRequest> kind, RequestHandler handler) {
        router.register(kind, handler);
    }

    /** The stage that polls for new requests: listed last, so requests reach only stages that run. */
    Stage polling() {
        return new Stage() {
            @Override
            public void start() {
                router.start();
            }

            @Override
            public void close() {
                router.close();
            }
        };
    }

    @Override
    public void close() {
        if (router != null) {
            router.close();
        }
    }
}
