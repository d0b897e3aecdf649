/**
 * Mail-format primitives written once for every part of the relay that reads or writes a message: RFC 5322
 * dates and header sections, and the xtext encoding of RFC 3461 §4.
 */
package org.stsrelay.mail;
