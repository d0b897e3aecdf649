/**
 * The running relay: one stage class per stage, each with start and stop, assembled and ordered by
 * {@link org.stsrelay.runtime.RelayRuntime}.
 */
package org.stsrelay.runtime;
