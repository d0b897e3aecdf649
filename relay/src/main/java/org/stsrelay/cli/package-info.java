/**
 * The command line: {@code run}, {@code check}, {@code domain plan}, {@code policy ...}, {@code queue ...}, {@code report ...},
 * {@code hash-password}; it parses commands and calls the runtime or the offline tools.
 */
package org.stsrelay.cli;
