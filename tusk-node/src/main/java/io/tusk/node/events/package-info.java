/**
 * Follows the control plane's event stream from the cursor the node persisted, applying each page atomically with
 * the new cursor.
 */
package io.tusk.node.events;
