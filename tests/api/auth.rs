use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, header, json_of, problem_of, spawn_app, spawn_app_with};
use crate::keys::{TestKey, claims_for};

async fn app_with_key(key: &TestKey) -> TestApp {
    spawn_app_with(&[
        ("SMM_JWT_SIGNING_KEY_FILE", key.path.to_str().unwrap()),
        ("SMM_JWT_KEY_ID", "test-key"),
    ])
    .await
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

#[tokio::test]
async fn the_client_credentials_flow_accepts_basic_form_and_json_credentials() {
    let app = spawn_app().await;
    let (id, secret) = (
        app.tenant.client_id.to_string(),
        app.tenant.client_secret.clone(),
    );
    let token_url = "/v1/oauth/token";
    let requests = [
        app.anonymous(Method::POST, token_url)
            .basic_auth(&id, Some(&secret))
            .form(&[("grant_type", "client_credentials")]),
        app.anonymous(Method::POST, token_url).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
        ]),
        app.anonymous(Method::POST, token_url).json(
            &json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret}),
        ),
    ];
    for request in requests {
        let response = request.send().await.unwrap();
        assert_eq!(header(&response, "cache-control"), "no-store");
        let body = json_of(response, 200).await;
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 900);
        assert_eq!(
            body["scope"],
            "models:read assessments:read assessments:write reports:read tenant:admin"
        );
        let token = body["access_token"].as_str().unwrap();
        let models = app
            .with_token(Method::GET, "/v1/models", token)
            .send()
            .await
            .unwrap();
        assert_eq!(models.status(), 200);
    }
}

#[tokio::test]
async fn an_issued_token_verifies_with_the_published_jwks_alone() {
    let app = spawn_app().await;
    let jwks = json_of(
        app.anonymous(Method::GET, "/.well-known/jwks.json")
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let token = &app.tenant.token;
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["alg"], "EdDSA");
    let kid = header["kid"].as_str().expect("a kid header");
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
        .expect("the kid is published");
    assert_eq!(
        (
            jwk["kty"].as_str(),
            jwk["crv"].as_str(),
            jwk["use"].as_str()
        ),
        (Some("OKP"), Some("Ed25519"), Some("sig"))
    );

    // Verified with ed25519-dalek directly, independently of the service's JWT library.
    let x: [u8; 32] = URL_SAFE_NO_PAD
        .decode(jwk["x"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
    let signed = format!("{}.{}", parts[0], parts[1]);
    VerifyingKey::from_bytes(&x)
        .unwrap()
        .verify(signed.as_bytes(), &signature)
        .expect("a valid signature");

    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(claims["iss"], "smm");
    assert_eq!(claims["aud"], "smm-api");
    assert_eq!(claims["sub"], app.tenant.client_id.to_string());
    assert_eq!(claims["tenant_id"], app.tenant.id.to_string());
    assert!(claims["scope"].as_str().unwrap().contains("models:read"));
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert!(exp - iat <= 900 && exp > now());
    assert!(
        claims["jti"]
            .as_str()
            .unwrap()
            .parse::<uuid::Uuid>()
            .is_ok()
    );
}

#[tokio::test]
async fn forged_expired_and_misaddressed_tokens_are_refused_with_401() {
    let key = TestKey::generate();
    let app = app_with_key(&key).await;
    let valid = key.sign("test-key", &claims_for(&app));
    assert_eq!(
        app.with_token(Method::GET, "/v1/models", &valid)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let with = |changes: Value| {
        let mut claims = claims_for(&app);
        for (name, value) in changes.as_object().unwrap() {
            claims[name] = value.clone();
        }
        claims
    };
    let parts: Vec<&str> = valid.split('.').collect();
    let none_token = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT", "kid": "test-key"})),
        parts[1]
    );
    let public_key = {
        let jwks = json_of(
            app.anonymous(Method::GET, "/.well-known/jwks.json")
                .send()
                .await
                .unwrap(),
            200,
        )
        .await;
        URL_SAFE_NO_PAD
            .decode(jwks["keys"][0]["x"].as_str().unwrap())
            .unwrap()
    };
    let hs256_with_public_key = {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some("test-key".to_owned());
        encode(
            &header,
            &claims_for(&app),
            &EncodingKey::from_secret(&public_key),
        )
        .unwrap()
    };
    let other_key = TestKey::generate();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64(&with(json!({"scope": "platform:admin"}))),
        parts[2]
    );

    let cases = [
        ("alg none", none_token),
        ("HS256 signed with the public key", hs256_with_public_key),
        (
            "an unknown kid",
            other_key.sign("unknown-key", &claims_for(&app)),
        ),
        (
            "our kid, another key",
            other_key.sign("test-key", &claims_for(&app)),
        ),
        ("a tampered payload", tampered),
        (
            "expired",
            key.sign(
                "test-key",
                &with(json!({"iat": now() - 4000, "nbf": now() - 4000, "exp": now() - 3000})),
            ),
        ),
        (
            "not yet valid",
            key.sign("test-key", &with(json!({"nbf": now() + 3000}))),
        ),
        (
            "wrong audience",
            key.sign("test-key", &with(json!({"aud": "another-api"}))),
        ),
        (
            "wrong issuer",
            key.sign("test-key", &with(json!({"iss": "someone-else"}))),
        ),
        (
            "no expiry",
            key.sign("test-key", &{
                let mut c = claims_for(&app);
                c.as_object_mut().unwrap().remove("exp");
                c
            }),
        ),
        (
            "a client of no tenant",
            key.sign(
                "test-key",
                &with(json!({"tenant_id": uuid::Uuid::new_v4().to_string()})),
            ),
        ),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (case, token) in cases {
        let response = app
            .with_token(Method::GET, "/v1/models", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{case}");
        let challenge = header(&response, "www-authenticate").to_owned();
        assert!(
            challenge.starts_with("Bearer realm=\"smm\", error=\"invalid_token\""),
            "{case}: {challenge}"
        );
        problem_of(response, 401, "/problems/unauthorized").await;
    }
}

#[tokio::test]
async fn a_request_without_a_token_is_challenged_for_one() {
    let app = spawn_app().await;
    for path in [
        "/v1/models",
        "/v1/indicators",
        "/v1/api-clients",
        "/v1/audit-events",
        "/v1/tenants",
    ] {
        let response = app.anonymous(Method::GET, path).send().await.unwrap();
        assert_eq!(
            header(&response, "www-authenticate"),
            "Bearer realm=\"smm\"",
            "{path}"
        );
        problem_of(response, 401, "/problems/unauthorized").await;
    }
    let basic = app
        .anonymous(Method::GET, "/v1/models")
        .basic_auth("a", Some("b"))
        .send()
        .await
        .unwrap();
    problem_of(basic, 401, "/problems/unauthorized").await;
}

#[tokio::test]
async fn a_token_without_the_needed_scope_is_refused_with_403_naming_the_scope() {
    let app = spawn_app().await;
    let (_, _, reader) = app.client_with_scopes(&["models:read"]).await;
    assert_eq!(
        app.with_token(Method::GET, "/v1/models", &reader)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for (path, scope) in [
        ("/v1/api-clients", "tenant:admin"),
        ("/v1/audit-events", "tenant:admin"),
        ("/v1/tenants", "platform:admin"),
    ] {
        let response = app
            .with_token(Method::GET, path, &reader)
            .send()
            .await
            .unwrap();
        assert_eq!(
            header(&response, "www-authenticate"),
            format!("Bearer realm=\"smm\", error=\"insufficient_scope\", scope=\"{scope}\"")
        );
        let problem = problem_of(response, 403, "/problems/forbidden").await;
        assert_eq!(
            problem["detail"],
            format!("this operation needs the scope `{scope}`")
        );
    }
    // The tenant admin has every tenant scope, but not the platform's.
    let response = app.get("/v1/tenants").send().await.unwrap();
    problem_of(response, 403, "/problems/forbidden").await;
}

#[tokio::test]
async fn a_token_can_be_narrowed_to_some_of_the_clients_scopes() {
    let app = spawn_app().await;
    let narrowed = app
        .token(
            app.tenant.client_id,
            &app.tenant.client_secret,
            Some("models:read"),
        )
        .await;
    assert_eq!(
        app.with_token(Method::GET, "/v1/models", &narrowed)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let response = app
        .with_token(Method::GET, "/v1/api-clients", &narrowed)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn bad_token_requests_are_refused_with_rfc_6749_error_codes() {
    let app = spawn_app().await;
    let (id, secret) = (
        app.tenant.client_id.to_string(),
        app.tenant.client_secret.clone(),
    );
    let post = || app.anonymous(Method::POST, "/v1/oauth/token");
    let cases: Vec<(&str, reqwest::RequestBuilder, u16, &str)> = vec![
        (
            "wrong secret",
            post().form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &id),
                ("client_secret", "smm_secret_wrong"),
            ]),
            401,
            "invalid_client",
        ),
        (
            "unknown client",
            post().form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &uuid::Uuid::new_v4().to_string()),
                ("client_secret", &secret),
            ]),
            401,
            "invalid_client",
        ),
        (
            "client id not a uuid",
            post().form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "admin"),
                ("client_secret", &secret),
            ]),
            401,
            "invalid_client",
        ),
        (
            "no credentials",
            post().form(&[("grant_type", "client_credentials")]),
            401,
            "invalid_client",
        ),
        (
            "basic and body",
            post().basic_auth(&id, Some(&secret)).form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &id),
                ("client_secret", &secret),
            ]),
            400,
            "invalid_request",
        ),
        (
            "no grant type",
            post().form(&[("client_id", &id), ("client_secret", &secret)]),
            400,
            "invalid_request",
        ),
        (
            "password grant",
            post().form(&[
                ("grant_type", "password"),
                ("client_id", &id),
                ("client_secret", &secret),
            ]),
            400,
            "unsupported_grant_type",
        ),
        (
            "unknown scope",
            post().form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &id),
                ("client_secret", &secret),
                ("scope", "models:write"),
            ]),
            400,
            "invalid_scope",
        ),
        (
            "scope beyond the client's",
            post().form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &id),
                ("client_secret", &secret),
                ("scope", "platform:admin"),
            ]),
            400,
            "invalid_scope",
        ),
        (
            "malformed json",
            post()
                .header("content-type", "application/json")
                .body("{\"grant_type\":"),
            400,
            "invalid_request",
        ),
    ];
    for (case, request, status, error) in cases {
        let response = request.send().await.unwrap();
        assert_eq!(header(&response, "cache-control"), "no-store", "{case}");
        let problem = problem_of(response, status, "/problems/token-request-refused").await;
        assert_eq!(problem["error"], error, "{case}: {problem}");
        assert_eq!(problem["error_description"], problem["detail"], "{case}");
    }
    let basic_failure = post()
        .basic_auth(&id, Some("smm_secret_wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&basic_failure, "www-authenticate"),
        "Basic realm=\"smm\""
    );
    let xml = post()
        .header("content-type", "application/xml")
        .body("<grant/>")
        .send()
        .await
        .unwrap();
    problem_of(xml, 415, "/problems/unsupported-media-type").await;
    let huge = post()
        .form(&[("grant_type", "x".repeat(300 * 1024))])
        .send()
        .await
        .unwrap();
    let problem = problem_of(huge, 413, "/problems/payload-too-large").await;
    assert_eq!(
        problem["detail"],
        "the request body is larger than the limit of 262144 bytes"
    );
}
