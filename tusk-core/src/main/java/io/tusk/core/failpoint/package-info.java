/**
 * Named fail points that tests arm to make a chosen place fail (docs/fault-injection.md lists them).
 */
package io.tusk.core.failpoint;
