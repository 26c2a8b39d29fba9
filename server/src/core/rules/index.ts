// The rule registry: an explicit, sorted list (bundler-friendly; the engine knows no rule by name).
import type { Rule } from './types';
import { rule as typographicQuotes } from './typographic-quotes/rule';
import { rule as wsConnectionHardcoded } from './ws-connection-hardcoded/rule';
import { rule as wsConnectionHeaderMissing } from './ws-connection-header-missing/rule';
import { rule as wsForwardedProtoMissing } from './ws-forwarded-proto-missing/rule';
import { rule as wsHeadersNotInherited } from './ws-headers-not-inherited/rule';
import { rule as wsHostMissing } from './ws-host-missing/rule';
import { rule as wsHttpVersion } from './ws-http-version/rule';
import { rule as wsKeepaliveClose } from './ws-keepalive-close/rule';
import { rule as wsMapContext } from './ws-map-context/rule';
import { rule as wsMapDuplicate } from './ws-map-duplicate/rule';
import { rule as wsMapMalformed } from './ws-map-malformed/rule';
import { rule as wsMapMissing } from './ws-map-missing/rule';
import { rule as wsProxyPassScheme } from './ws-proxy-pass-scheme/rule';
import { rule as wsReadTimeout } from './ws-read-timeout/rule';
import { rule as wsSocketioPath } from './ws-socketio-path/rule';
import { rule as wsStickySession } from './ws-sticky-session/rule';
import { rule as wsUpgradeH2c } from './ws-upgrade-h2c/rule';
import { rule as wsUpgradeHardcoded } from './ws-upgrade-hardcoded/rule';
import { rule as wsUpgradeHeaderMissing } from './ws-upgrade-header-missing/rule';
import { rule as wsUpgradeVariable } from './ws-upgrade-variable/rule';

export const RULES: readonly Rule[] = [
  typographicQuotes,
  wsConnectionHardcoded,
  wsConnectionHeaderMissing,
  wsForwardedProtoMissing,
  wsHeadersNotInherited,
  wsHostMissing,
  wsHttpVersion,
  wsKeepaliveClose,
  wsMapContext,
  wsMapDuplicate,
  wsMapMalformed,
  wsMapMissing,
  wsProxyPassScheme,
  wsReadTimeout,
  wsSocketioPath,
  wsStickySession,
  wsUpgradeH2c,
  wsUpgradeHardcoded,
  wsUpgradeHeaderMissing,
  wsUpgradeVariable,
];
