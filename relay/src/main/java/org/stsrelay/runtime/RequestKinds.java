package org.stsrelay.runtime;

import org.stsrelay.control.ControlRequest;
import org.stsrelay.control.RequestHandler;

/** Where a stage registers the kinds of operator request it applies, as it starts. */
@FunctionalInterface
interface RequestKinds {

    /** Lets {@code handler} apply the requests of {@code kind}, applying those already pending before it returns. */
    void register(Class<? extends ControlRequest> kind, RequestHandler handler);
}
