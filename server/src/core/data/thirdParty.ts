// Directives of widely used third-party modules (OpenResty, distribution packages). nginx
// knows them only when the module is loaded, which the analysis cannot see, so they are never
// reported as unknown; their blocks are not judged. `nginxWebSocket.extraDirectives` adds more.
const PATTERNS: RegExp[] = [
  /^lua_|_by_lua(_block|_file)?$/, // lua-nginx-module (OpenResty)
  /^more_(set|clear)(_input)?_headers$/, // headers-more
  /^echo(_[a-z_]+)?$/, // echo (Debian's nginx-light loads it)
  /^set_(unescape_uri|escape_uri|quote_sql_str|quote_pgsql_str|quote_json_str|md5|sha1|hmac_sha1|hmac_sha256|base32_padding|base32_alphabet|encode_base32|decode_base32|encode_base64|decode_base64|encode_base64url|decode_base64url|encode_hex|decode_hex|if_empty|random|secure_random_alphanum|secure_random_lcalpha|local_today|formatted_gmt_time|formatted_local_time|rotate|misc_base32_padding)$/, // set-misc
  /^brotli(_[a-z_]+)?$/, // ngx_brotli
  /^zstd(_[a-z_]+)?$/, // zstd-nginx-module
  /^vhost_traffic_status(_[a-z_]+)?$/, // traffic status
  /^geoip2(_proxy(_recursive)?)?$/, // ngx_http_geoip2_module
  /^passenger_/, // Phusion Passenger
  /^pagespeed$/, // PageSpeed
  /^modsecurity(_rules(_file|_remote)?|_transaction_id)?$/, // ModSecurity-nginx
  /^fancyindex(_[a-z_]+)?$/, // fancyindex
  /^dav_ext_(methods|lock_zone|lock)$/, // dav-ext
  /^(proxy|fastcgi|scgi|uwsgi)_cache_purge$/, // ngx_cache_purge
  /^upload_progress(_[a-z_]+)?$|^(track|report)_uploads$/, // upload progress
  /^auth_pam(_[a-z_]+)?$/, // auth-pam
  /^rtmp(_auto_push)?$/, // nginx-rtmp
  /^subs_filter(_types)?$/, // substitutions filter
  /^(SecRulesEnabled|SecRulesDisabled|DeniedUrl|CheckRule|BasicRule|MainRule|LearningMode|LibInjectionSql|LibInjectionXss)$/, // naxsi
  /^sticky$/, // nginx-sticky-module (also NGINX Plus)
  /^nchan_|^push_stream_/, // Nchan, push stream (WebSocket pub/sub)
  /^ndk_/, // devel kit
];

export function isThirdPartyDirective(name: string): boolean {
  return PATTERNS.some((re) => re.test(name));
}
