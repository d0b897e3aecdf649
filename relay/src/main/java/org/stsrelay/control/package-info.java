/**
 * The one control plane for operator requests: {@code queue delete|hold|release|flush}, {@code policy
 * purge|refresh} and {@code report send} leave a {@link org.stsrelay.control.ControlRequest} through a
 * {@link org.stsrelay.control.ControlPlane}; a running relay applies it within a second, a stopped one at its
 * next start.
 */
package org.stsrelay.control;
