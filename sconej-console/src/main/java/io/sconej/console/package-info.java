/**
 * The console shield: stdout and stderr leave the JVM as authenticated, encrypted,
 * sequence-numbered records ({@link io.sconej.console.ConsoleShield}, {@link
 * io.sconej.console.ConsoleRecordWriter}); {@link io.sconej.console.ConsoleRecordReader} turns a
 * captured stream back into text and names any truncation, reordering, drop, duplication, tampering
 * or wrong key. Format: docs/formats/console.md. JDK only (runs in the enclave).
 */
package io.sconej.console;
