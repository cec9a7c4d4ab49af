import { Duration, Validations } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * What a cross-origin player must read on CloudFront's own answers (its 403 for an unsigned request): the same
 * list the function exposes (lambda/http/cors-headers.ts; lib/ cannot import it, a contract test keeps both equal).
 */
export const EDGE_EXPOSED_HEADERS: readonly string[] = [
  'Content-Range',
  'Content-Length',
  'Accept-Ranges',
  'ETag',
  'Last-Modified',
  'Content-Disposition',
];

/**
 * Request headers the function needs from the viewer: Range (RFC 9110 §14.2) and the preconditions (§13.1).
 * NEVER `Host` (a Function URL answers a foreign Host with 403) and never `Accept-Encoding` (CloudFront then
 * asks a streaming origin for compressed bodies: intermittent 502s, OpenNext #1127; CDK also rejects it here).
 */
export const RANGE_HEADERS = ['Range', 'If-Range'] as const;
export const CONDITIONAL_HEADERS = ['If-Match', 'If-None-Match', 'If-Modified-Since', 'If-Unmodified-Since'] as const;
/** CORS request headers: they change the answer, so with CORS on they are part of the cache key. */
export const CORS_HEADERS = ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'] as const;
/** The one query parameter the function reads (`?download=name.mp4` -> Content-Disposition: attachment). */
export const FORWARDED_QUERY_STRINGS = ['download'] as const;
/**
 * CloudFront's signing parameters (signed URLs) and cookies (signed cookies). NEVER in the media cache key (one
 * cached copy serves every viewer's token); forwarded to the origin only when the function verifies them too.
 * The playlist behaviour (PLAYLIST_PATH_PATTERN) is the exception: there they are in the cache key.
 */
export const SIGNING_QUERY_STRINGS = ['Expires', 'Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm'] as const;
export const SIGNING_COOKIES = [
  'CloudFront-Expires',
  'CloudFront-Policy',
  'CloudFront-Signature',
  'CloudFront-Key-Pair-Id',
  'CloudFront-Hash-Algorithm',
] as const;

/**
 * With private media, playlists get a cache behaviour of their own: a playlist opened with a custom-policy signed
 * URL is answered with that viewer's token on every URI, `Cache-Control: private, no-store`
 * (docs/hls-from-dash.md, "Private media").
 */
export const PLAYLIST_PATH_PATTERN = '*.m3u8';

export interface MediaCdnProps {
  readonly functionUrl: lambda.IFunctionUrl;
  /** true: the URL is AWS_IAM and CloudFront signs with OAC; false: the URL is public (auth NONE). */
  readonly originAccessControl: boolean;
  readonly corsEnabled: boolean;
  /** Private media: CloudFront requires a signed URL or signed cookies trusted by this key group. */
  readonly trustedKeyGroup?: cloudfront.IKeyGroup;
  /** Forward the signing query parameters and cookies to the function (it verifies them too). */
  readonly forwardSigningParameters?: boolean;
  /**
   * CORS for the answers CloudFront writes itself (with `trustedKeyGroup`: its 403 to an unsigned request), so a
   * cross-origin player can read that status like the function's own errors. `originOverride: false`: whenever
   * the function answered with CORS headers, those are kept (one owner for origin answers, never duplicated).
   */
  readonly edgeCors?: { readonly allowedOrigins: readonly string[]; readonly allowCredentials: boolean };
  readonly rangeInCacheKey: boolean;
  readonly minTtl: Duration;
  readonly defaultTtl: Duration;
  readonly maxTtl: Duration;
  readonly readTimeout: Duration;
  readonly keepaliveTimeout: Duration;
  readonly priceClass: cloudfront.PriceClass;
  readonly domainNames?: readonly string[];
  readonly certificate?: acm.ICertificate;
  readonly logBucket?: s3.IBucket;
  readonly webAclId?: string;
}

/** CloudFront in front of the Function URL: HTTPS only, GET/HEAD/OPTIONS, no compression, explicit policies. */
export class MediaCdn extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly cachePolicy: cloudfront.CachePolicy;
  /** The `*.m3u8` behaviour's cache policy; only with private media (`trustedKeyGroup`). */
  readonly playlistCachePolicy?: cloudfront.CachePolicy;
  readonly originRequestPolicy: cloudfront.OriginRequestPolicy;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: MediaCdnProps) {
    super(scope, id);

    // Cache key. Range is NOT in it by default: CloudFront handles Range GETs natively, caching the parts it
    // fetched and serving sub-ranges from them (it may ask the origin for a wider range than the viewer did).
    // rangeInCacheKey=true is the fallback if CloudFront mishandles the origin's chunked 206 answers: each
    // distinct Range/If-Range then reaches the function verbatim and is cached as its own object.
    const cacheKeyHeaders = [
      ...(props.rangeInCacheKey ? RANGE_HEADERS : []),
      ...(props.corsEnabled ? CORS_HEADERS : []),
    ];
    const headerBehavior =
      cacheKeyHeaders.length === 0
        ? cloudfront.CacheHeaderBehavior.none()
        : cloudfront.CacheHeaderBehavior.allowList(...cacheKeyHeaders);
    this.cachePolicy = new cloudfront.CachePolicy(this, 'CachePolicy', {
      comment: 'media-origin: path + ?download; Range handled natively by CloudFront unless rangeInCacheKey',
      minTtl: props.minTtl,
      defaultTtl: props.defaultTtl,
      maxTtl: props.maxTtl,
      headerBehavior,
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(...FORWARDED_QUERY_STRINGS),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      // Media is already compressed, and the function never compresses: no Accept-Encoding in key or request.
      enableAcceptEncodingGzip: false,
      enableAcceptEncodingBrotli: false,
    });

    // Playlists with private media. A tokenized playlist carries one viewer's token and is answered
    // `private, no-store`; CloudFront honours that only with a minimum TTL of 0: "If your minimum TTL is greater
    // than 0, CloudFront will cache content for at least the duration specified in the cache policy's minimum TTL,
    // even if the Cache-Control: no-cache, no-store, or private directives are present in the origin headers"
    // (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CachePolicyConfig.html; see also
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html). So MinTTL is 0 here
    // whatever the media's. The signing parameters are in this cache key, which also forwards them to the origin
    // (the function needs them to hand the token on): a bare playlist cached for one request is never served to
    // a custom-policy URL, and two tokens never share an entry even if an answer were kept.
    if (props.trustedKeyGroup !== undefined) {
      this.playlistCachePolicy = new cloudfront.CachePolicy(this, 'PlaylistCachePolicy', {
        comment: 'media-origin playlists: path + ?download + signing parameters; MinTTL 0 so no-store is honoured',
        minTtl: Duration.seconds(0),
        defaultTtl: props.defaultTtl,
        maxTtl: props.maxTtl,
        headerBehavior,
        queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(
          ...FORWARDED_QUERY_STRINGS,
          ...SIGNING_QUERY_STRINGS,
        ),
        cookieBehavior: cloudfront.CacheCookieBehavior.none(),
        enableAcceptEncodingGzip: false,
        enableAcceptEncodingBrotli: false,
      });
    }

    // Everything in the cache key is forwarded anyway (CloudFront docs, OriginRequestPolicy); this policy adds
    // the headers that must reach the function without splitting the cache. Explicit allow-list, so Host and
    // Accept-Encoding can never slip through the way they would with AllViewer.
    const forwardedHeaders = [...(props.rangeInCacheKey ? [] : RANGE_HEADERS), ...CONDITIONAL_HEADERS];
    this.originRequestPolicy = new cloudfront.OriginRequestPolicy(this, 'OriginRequestPolicy', {
      comment: 'media-origin: Range, If-Range and preconditions; never Host or Accept-Encoding',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(...forwardedHeaders),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.allowList(
        ...FORWARDED_QUERY_STRINGS,
        ...(props.forwardSigningParameters === true ? SIGNING_QUERY_STRINGS : []),
      ),
      cookieBehavior:
        props.forwardSigningParameters === true
          ? cloudfront.OriginRequestCookieBehavior.allowList(...SIGNING_COOKIES)
          : cloudfront.OriginRequestCookieBehavior.none(),
    });

    // Security headers only. CORS has exactly one owner, the function (CORS_ALLOWED_ORIGINS): a CORS config
    // here would duplicate Access-Control-Allow-Origin and browsers reject duplicated values.
    const edgeCors = props.edgeCors;
    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'ResponseHeadersPolicy', {
      comment:
        edgeCors === undefined
          ? 'media-origin: security headers; no CORS (the function answers CORS)'
          : 'media-origin: security headers; CORS only where the function did not answer (edge 403s)',
      ...(edgeCors === undefined
        ? {}
        : {
            corsBehavior: {
              accessControlAllowOrigins: [...edgeCors.allowedOrigins],
              accessControlAllowCredentials: edgeCors.allowCredentials,
              accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
              accessControlAllowHeaders: [...RANGE_HEADERS, ...CONDITIONAL_HEADERS],
              accessControlExposeHeaders: [...EDGE_EXPOSED_HEADERS],
              accessControlMaxAge: Duration.days(1),
              originOverride: false,
            },
          }),
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: false,
          override: false,
        },
      },
    });

    const originProps = { readTimeout: props.readTimeout, keepaliveTimeout: props.keepaliveTimeout };
    const origin = props.originAccessControl
      ? origins.FunctionUrlOrigin.withOriginAccessControl(props.functionUrl, originProps)
      : new origins.FunctionUrlOrigin(props.functionUrl, originProps);

    const behaviour: Omit<cloudfront.BehaviorOptions, 'cachePolicy'> = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      // OPTIONS too: preflights vary only by the CORS headers, which are in the cache key when CORS is on.
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
      compress: false,
      originRequestPolicy: this.originRequestPolicy,
      responseHeadersPolicy: this.responseHeadersPolicy,
      ...(props.trustedKeyGroup === undefined ? {} : { trustedKeyGroups: [props.trustedKeyGroup] }),
    };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'media-origin',
      defaultBehavior: { ...behaviour, cachePolicy: this.cachePolicy },
      ...(this.playlistCachePolicy === undefined
        ? {}
        : {
            additionalBehaviors: { [PLAYLIST_PATH_PATTERN]: { ...behaviour, cachePolicy: this.playlistCachePolicy } },
          }),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: props.priceClass,
      // With the default *.cloudfront.net certificate the TLS policy is fixed; it applies to custom domains only.
      ...(props.domainNames === undefined || props.certificate === undefined
        ? {}
        : {
            domainNames: [...props.domainNames],
            certificate: props.certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }),
      ...(props.logBucket === undefined
        ? {}
        : { enableLogging: true, logBucket: props.logBucket, logFilePrefix: 'cloudfront/' }),
      ...(props.webAclId === undefined ? {} : { webAclId: props.webAclId }),
    });
    this.acknowledgeFindings(props);
  }

  /** cdk-nag findings that are deliberate for this distribution, each with its reason. */
  private acknowledgeFindings(props: MediaCdnProps): void {
    const validations = Validations.of(this.distribution);
    validations.acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Media is served worldwide by design; geo restriction is a business decision left to the operator.',
    });
    if (props.webAclId === undefined) {
      validations.acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'WAF is opt-in (context webAclId): the origin is read-only (GET/HEAD/OPTIONS), every response is bounded, ' +
          'and a web ACL costs per request.',
      });
    }
    if (props.logBucket === undefined) {
      validations.acknowledge({
        id: 'AwsSolutions-CFR3',
        reason: 'Access logging is opt-in (context accessLogging=true) to avoid a log bucket by default.',
      });
    }
    if (props.certificate === undefined) {
      validations.acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose minimum ' +
          'TLS version cannot be raised; with domainNames + certificateArn it is TLSv1.2_2021.',
      });
    }
  }
}
