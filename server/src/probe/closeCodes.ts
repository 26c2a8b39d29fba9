// The close codes a WebSocket connection can end with (what a browser's CloseEvent.code shows),
// with what each means for someone debugging an nginx-proxied endpoint.

export type CloseCodeCategory =
  /** Defined by RFC 6455 or registered with IANA for the protocol itself. */
  | 'standard'
  /** 1016–2999 and 1004: reserved for future versions of the WebSocket standard. */
  | 'reserved'
  /** 3000–3999: registered for libraries, frameworks and applications. */
  | 'library'
  /** 4000–4999: private use by one application, with no shared meaning. */
  | 'application'
  /** Outside 1000–4999: not a close code at all. */
  | 'invalid';

export interface CloseCodeInfo {
  code: number;
  /** Short name, e.g. "Normal Closure". */
  name: string;
  /** What it means, in plain words. */
  meaning: string;
  category: CloseCodeCategory;
  /**
   * May an endpoint put it in a close frame? False for 1005/1006/1015, which only describe
   * what happened locally, and for reserved or invalid codes.
   */
  onWire: boolean;
}

interface Entry {
  name: string;
  meaning: string;
  onWire: boolean;
}

/** The individually defined codes, 1000–1015. */
export const STANDARD_CLOSE_CODES: Readonly<Record<number, Entry>> = {
  1000: {
    name: 'Normal Closure',
    meaning: 'The connection did what it was opened for and was closed on purpose.',
    onWire: true,
  },
  1001: {
    name: 'Going Away',
    meaning: 'An endpoint is leaving: the server is shutting down or the browser tab navigated away.',
    onWire: true,
  },
  1002: {
    name: 'Protocol Error',
    meaning: 'An endpoint received frames that break the WebSocket protocol and gave up on the connection.',
    onWire: true,
  },
  1003: {
    name: 'Unsupported Data',
    meaning: 'An endpoint received a kind of data it cannot handle (for example binary where only text is accepted).',
    onWire: true,
  },
  1004: {
    name: 'Reserved',
    meaning: 'Reserved by the standard with no meaning yet; it should never be seen.',
    onWire: false,
  },
  1005: {
    name: 'No Status Received',
    meaning: 'The close frame carried no status code. Reported locally; never sent in a frame.',
    onWire: false,
  },
  1006: {
    name: 'Abnormal Closure',
    meaning:
      'The connection ended without a close frame: the TCP connection was dropped, reset or timed out ' +
      '(through nginx, often proxy_read_timeout expiring on an idle connection). Reported locally; never sent in a frame.',
    onWire: false,
  },
  1007: {
    name: 'Invalid Frame Payload Data',
    meaning: 'A message did not match its type, for example a text message that is not valid UTF-8.',
    onWire: true,
  },
  1008: {
    name: 'Policy Violation',
    meaning:
      'The server refused a message or the connection because of a policy (authentication, origin, rate limits) ' +
      'and has no more specific code for it.',
    onWire: true,
  },
  1009: {
    name: 'Message Too Big',
    meaning: 'A message was larger than the endpoint is willing to process.',
    onWire: true,
  },
  1010: {
    name: 'Mandatory Extension',
    meaning: 'The client needed an extension that the server did not agree to in the handshake.',
    onWire: true,
  },
  1011: {
    name: 'Internal Error',
    meaning: 'The server hit an unexpected condition (typically an exception in the application) and closed the connection.',
    onWire: true,
  },
  1012: {
    name: 'Service Restart',
    meaning: 'The server is restarting; reconnecting after a short pause should work.',
    onWire: true,
  },
  1013: {
    name: 'Try Again Later',
    meaning: 'The server is overloaded or temporarily unable to serve; reconnect later.',
    onWire: true,
  },
  1014: {
    name: 'Bad Gateway',
    meaning: 'A gateway or proxy in front of the server got an invalid response from the upstream server.',
    onWire: true,
  },
  1015: {
    name: 'TLS Handshake',
    meaning:
      'The TLS handshake failed (for example the certificate could not be verified). Reported locally; never sent in a frame.',
    onWire: false,
  },
};

/** Everything known about a code; never throws. */
export function describeCloseCode(code: number): CloseCodeInfo {
  if (!Number.isInteger(code) || code < 1000 || code > 4999) {
    return {
      code,
      name: 'Invalid',
      meaning: 'Not a close code: valid codes are 1000–4999.',
      category: 'invalid',
      onWire: false,
    };
  }
  const std = STANDARD_CLOSE_CODES[code];
  if (std) return { code, ...std, category: code === 1004 ? 'reserved' : 'standard' };
  if (code <= 2999) {
    return {
      code,
      name: 'Reserved',
      meaning: 'Reserved for future versions of the WebSocket standard; no endpoint should use it today.',
      category: 'reserved',
      onWire: false,
    };
  }
  if (code <= 3999) {
    return {
      code,
      name: 'Library/Framework',
      meaning:
        'Registered for use by libraries, frameworks and applications; its meaning is defined by whichever one sent it.',
      category: 'library',
      onWire: true,
    };
  }
  return {
    code,
    name: 'Application',
    meaning: 'Private to the application that sent it; look in the backend code for what it means.',
    category: 'application',
    onWire: true,
  };
}

/** "1011 Internal Error" style label. */
export function closeCodeLabel(code: number): string {
  return `${code} ${describeCloseCode(code).name}`;
}
