/** The command line: {@code run}, {@code queue ...}, {@code hash-password}; and the assembly of the stages into a relay. */
package org.stsrelay.cli;
