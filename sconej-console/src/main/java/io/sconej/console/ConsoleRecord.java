package io.sconej.console;

/**
 * One authenticated record of a console stream, delivered in sequence order.
 *
 * @param sequence its sequence number (0 for the first record)
 * @param end whether it is the END record (the last one)
 * @param payload the plaintext bytes it carries (possibly empty, e.g. an END record)
 */
public record ConsoleRecord(long sequence, boolean end, byte[] payload) {}
