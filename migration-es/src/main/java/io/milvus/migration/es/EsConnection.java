package io.milvus.migration.es;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;

/**
 * How to reach an Elasticsearch or OpenSearch cluster: its URLs or Elastic Cloud id, credentials (basic auth, API
 * key or service token) and TLS trust (a CA certificate, a certificate fingerprint, or no verification). Immutable;
 * built by {@link #builder()}. {@link #toString()} and every error name the hosts only, never a secret.
 */
public final class EsConnection {
    private final List<String> urls;
    private final String cloudId;
    private final String username;
    private final String password;
    private final String apiKey;
    private final String serviceToken;
    private final Path caCertificate;
    private final String fingerprint;
    private final boolean verifyTls;
    private final Duration timeout;

    private EsConnection(Builder b) {
        urls = List.copyOf(b.urls);
        cloudId = b.cloudId;
        username = b.username;
        password = b.password;
        apiKey = b.apiKey;
        serviceToken = b.serviceToken;
        caCertificate = b.caCertificate;
        fingerprint = b.fingerprint;
        verifyTls = b.verifyTls;
        timeout = b.timeout;
    }

    /** A builder with no URL; {@link Builder#url(String)} or {@link Builder#cloudId(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The cluster's HTTP(S) URLs (from the Cloud id when one was given); never empty. */
    public List<String> urls() {
        if (cloudId != null) {
            return List.of(cloudUrl(cloudId));
        }
        return urls;
    }

    /** The user name of basic authentication, if any (not a secret). */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** Hosts and the kind of credentials only. */
    @Override
    public String toString() {
        String auth = apiKey != null ? "api-key" : serviceToken != null ? "service-token"
                : username != null ? "basic(" + username + ")" : "none";
        return "EsConnection" + urls() + " auth=" + auth + (verifyTls ? "" : " tls-unverified");
    }

    /** The https URL an Elastic Cloud id names: {@code name:base64(host$es-uuid$kibana-uuid)}. */
    static String cloudUrl(String cloudId) {
        String encoded = cloudId.contains(":") ? cloudId.substring(cloudId.indexOf(':') + 1) : cloudId;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "cloudId is not an Elastic Cloud id");
        }
        String[] parts = decoded.split("\\$");
        if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "cloudId is not an Elastic Cloud id");
        }
        String host = parts[0];
        String port = "443";
        int colon = host.lastIndexOf(':');
        if (colon > 0) {
            port = host.substring(colon + 1);
            host = host.substring(0, colon);
        }
        return "https://" + parts[1] + "." + host + ":" + port;
    }

    /** Opens the low-level REST client. Called by the source; the caller closes it. */
    RestClient open() {
        var hosts = new ArrayList<HttpHost>();
        for (String u : urls()) {
            URI uri = URI.create(u.contains("://") ? u : "http://" + u);
            if (uri.getHost() == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "url " + u + " names no host");
            }
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 9200;
            hosts.add(new HttpHost(uri.getHost(), port, uri.getScheme()));
        }
        var headers = new ArrayList<Header>();
        if (apiKey != null) {
            // an "id:key" pair is encoded as Elasticsearch expects; an already encoded key is sent as it is
            String key = apiKey.contains(":")
                    ? Base64.getEncoder().encodeToString(apiKey.getBytes(StandardCharsets.UTF_8)) : apiKey;
            headers.add(new BasicHeader("Authorization", "ApiKey " + key));
        } else if (serviceToken != null) {
            headers.add(new BasicHeader("Authorization", "Bearer " + serviceToken));
        } else if (username != null) {
            String pair = username + ":" + (password == null ? "" : password);
            headers.add(new BasicHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
        }
        SSLContext ssl = sslContext();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return RestClient.builder(hosts.toArray(HttpHost[]::new))
                .setDefaultHeaders(headers.toArray(Header[]::new))
                .setRequestConfigCallback(rc -> rc.setConnectTimeout(Math.min(millis, 30_000)).setSocketTimeout(millis))
                .setHttpClientConfigCallback(hc -> {
                    if (ssl != null) {
                        hc.setSSLContext(ssl);
                    }
                    if (!verifyTls || fingerprint != null) {
                        hc.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
                    }
                    return hc;
                })
                .build();
    }

    private SSLContext sslContext() {
        try {
            TrustManager[] trust;
            if (!verifyTls) {
                trust = new TrustManager[] {new PinnedTrust(null)};
            } else if (fingerprint != null) {
                trust = new TrustManager[] {new PinnedTrust(HexFormat.of().parseHex(
                        fingerprint.replace(":", "").toLowerCase(java.util.Locale.ROOT)))};
            } else if (caCertificate != null) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                try (InputStream in = Files.newInputStream(caCertificate)) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        ks.setCertificateEntry("ca" + i++, c);
                    }
                }
                if (i == 0) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "caCertificate " + caCertificate
                            + " holds no certificate");
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                trust = tmf.getTrustManagers();
            } else {
                return null;
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust, null);
            return ctx;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "TLS settings of " + urls() + " are unusable: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** Trusts a chain holding a certificate whose SHA-256 is {@code pin}; trusts any chain when pin is null. */
    private static final class PinnedTrust implements X509TrustManager {
        private final byte[] pin;

        PinnedTrust(byte[] pin) {
            this.pin = pin;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not checked here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (pin == null) {
                return;
            }
            try {
                for (X509Certificate c : chain) {
                    if (MessageDigest.isEqual(pin, MessageDigest.getInstance("SHA-256").digest(c.getEncoded()))) {
                        return;
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new CertificateException(e);
            }
            throw new CertificateException("no certificate of the server matches the configured fingerprint");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Builds an {@link EsConnection}. Not thread-safe. */
    public static final class Builder {
        private final List<String> urls = new ArrayList<>();
        private String cloudId;
        private String username;
        private String password;
        private String apiKey;
        private String serviceToken;
        private Path caCertificate;
        private String fingerprint;
        private boolean verifyTls = true;
        private Duration timeout = Duration.ofSeconds(120);

        private Builder() {
        }

        /** Adds a node URL such as {@code http://127.0.0.1:9200} or {@code https://es.example:9243}. */
        public Builder url(String url) {
            urls.add(requireNonNull(url, "url is null"));
            return this;
        }

        /** Adds node URLs. */
        public Builder urls(List<String> list) {
            requireNonNull(list, "urls is null").forEach(this::url);
            return this;
        }

        /** An Elastic Cloud id instead of URLs. Default none. */
        public Builder cloudId(String id) {
            this.cloudId = requireNonNull(id, "cloudId is null");
            return this;
        }

        /** Basic authentication. Default none. */
        public Builder basicAuth(String user, String secret) {
            this.username = requireNonNull(user, "user is null");
            this.password = requireNonNull(secret, "password is null");
            return this;
        }

        /** An API key: the encoded key Elasticsearch returned, or {@code id:api_key}. Default none. */
        public Builder apiKey(String key) {
            this.apiKey = requireNonNull(key, "apiKey is null");
            return this;
        }

        /** A service account token (sent as a bearer token). Default none. */
        public Builder serviceToken(String token) {
            this.serviceToken = requireNonNull(token, "serviceToken is null");
            return this;
        }

        /** A PEM file of the CA certificate(s) to trust instead of the JVM's. Default the JVM's trust store. */
        public Builder caCertificate(Path pem) {
            this.caCertificate = requireNonNull(pem, "caCertificate is null");
            return this;
        }

        /** The SHA-256 fingerprint (hex, colons allowed) of a certificate of the server to trust. Default none. */
        public Builder fingerprint(String sha256) {
            this.fingerprint = requireNonNull(sha256, "fingerprint is null");
            return this;
        }

        /** Whether TLS certificates and host names are verified. Default true. */
        public Builder verifyTls(boolean verify) {
            this.verifyTls = verify;
            return this;
        }

        /** Socket timeout of one request. Default 120 s. */
        public Builder timeout(Duration t) {
            this.timeout = requireNonNull(t, "timeout is null");
            return this;
        }

        /**
         * Freezes the settings.
         *
         * @throws MigrationException {@code INVALID_CONFIG} without a URL or Cloud id, or with two kinds of
         *                            credentials
         */
        public EsConnection build() {
            if (urls.isEmpty() && cloudId == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Elasticsearch connection needs a url or a cloudId");
            }
            int kinds = (apiKey != null ? 1 : 0) + (serviceToken != null ? 1 : 0) + (username != null ? 1 : 0);
            if (kinds > 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG,
                        "Elasticsearch connection takes one of basic auth, apiKey and serviceToken");
            }
            if (fingerprint != null && !fingerprint.replace(":", "").matches("[0-9a-fA-F]{64}")) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG,
                        "fingerprint must be a SHA-256 in hex (64 digits, colons allowed)");
            }
            if (cloudId != null) {
                cloudUrl(cloudId);
            }
            return new EsConnection(this);
        }
    }
}
