/**
 * The SIP option tags Atende implements (RFC 5626 outbound, RFC 3327 path, RFC 3262 100rel,
 * RFC 4028 timer), in the order our Supported header lists them. A Require naming anything else
 * gets 420 Bad Extension (RFC 3261 8.2.2.3).
 */
export const SUPPORTED_OPTION_TAGS: ReadonlySet<string> = new Set(['outbound', 'path', '100rel', 'timer']);

/** The Supported header's value, written once (OPTIONS keep-alives ask for it all the time). */
export const SUPPORTED_HEADER_VALUE = [...SUPPORTED_OPTION_TAGS].join(', ');
