//! Signing keys from settings: rotation with a verification key set, and ES256 given inline.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{EncodePrivateKey, KeypairBytes};
use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json_of, spawn_app_with};

/// An Ed25519 key written to a file, for an app configured to sign with it.
pub struct TestKey {
    pub encoding: EncodingKey,
    pub path: std::path::PathBuf,
}

impl TestKey {
    pub fn generate() -> TestKey {
        let key = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
        let pem = KeypairBytes {
            secret_key: key.to_bytes(),
            public_key: None,
        }
        .to_pkcs8_pem(LineEnding::LF)
        .unwrap();
        let path = std::env::temp_dir().join(format!("smm-test-key-{}.pem", uuid::Uuid::new_v4()));
        std::fs::write(&path, pem.as_bytes()).unwrap();
        TestKey {
            encoding: EncodingKey::from_ed_pem(pem.as_bytes()).unwrap(),
            path,
        }
    }

    pub fn sign(&self, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(kid.to_owned());
        encode(&header, claims, &self.encoding).unwrap()
    }
}

impl Drop for TestKey {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Valid claims for the default tenant's admin client, readable by `/v1/models`.
pub fn claims_for(app: &TestApp) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "iss": "smm", "aud": "smm-api",
        "sub": app.tenant.client_id.to_string(), "tenant_id": app.tenant.id.to_string(),
        "scope": "models:read", "iat": now, "nbf": now, "exp": now + 600,
        "jti": uuid::Uuid::new_v4().to_string(),
    })
}

fn header_of(token: &str) -> Value {
    let header = token.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap()
}

#[tokio::test]
async fn a_retired_key_in_the_verification_set_still_verifies_the_tokens_it_signed() {
    let old = TestKey::generate();
    let new = TestKey::generate();
    let mut old_public = Jwk::from_encoding_key(&old.encoding, Algorithm::EdDSA).unwrap();
    old_public.common.key_id = Some("old-key".to_owned());
    old_public.common.public_key_use = Some(PublicKeyUse::Signature);
    let jwks_path =
        std::env::temp_dir().join(format!("smm-test-jwks-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(
        &jwks_path,
        serde_json::to_string(&JwkSet {
            keys: vec![old_public],
        })
        .unwrap(),
    )
    .unwrap();
    let app = spawn_app_with(&[
        ("SMM_JWT_SIGNING_KEY_FILE", new.path.to_str().unwrap()),
        ("SMM_JWT_KEY_ID", "new-key"),
        (
            "SMM_JWT_VERIFICATION_KEYS_FILE",
            jwks_path.to_str().unwrap(),
        ),
    ])
    .await;
    std::fs::remove_file(&jwks_path).unwrap();

    let published = json_of(
        app.anonymous(Method::GET, "/.well-known/jwks.json")
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let kids: Vec<&str> = published["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, ["new-key", "old-key"]);
    assert_eq!(
        header_of(&app.tenant.token)["kid"],
        "new-key",
        "new tokens are signed with the new key"
    );

    let by_old_key = old.sign("old-key", &claims_for(&app));
    assert_eq!(
        app.with_token(Method::GET, "/v1/models", &by_old_key)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let mislabelled = old.sign("new-key", &claims_for(&app));
    assert_eq!(
        app.with_token(Method::GET, "/v1/models", &mislabelled)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

#[tokio::test]
async fn an_es256_key_given_inline_signs_tokens_that_verify_with_the_jwks() {
    use p256::ecdsa::signature::Verifier;
    use p256::pkcs8::EncodePrivateKey as _;

    let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
    let pem = secret.to_pkcs8_pem(LineEnding::LF).unwrap();
    let app = spawn_app_with(&[
        ("SMM_JWT_SIGNING_KEY", pem.as_str()),
        ("SMM_JWT_ALGORITHM", "ES256"),
    ])
    .await;

    let token = &app.tenant.token;
    assert_eq!(header_of(token)["alg"], "ES256");
    let jwks = json_of(
        app.anonymous(Method::GET, "/.well-known/jwks.json")
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let jwk = &jwks["keys"][0];
    assert_eq!(
        (jwk["kty"].as_str(), jwk["crv"].as_str()),
        (Some("EC"), Some("P-256"))
    );
    let coordinate = |name: &str| URL_SAFE_NO_PAD.decode(jwk[name].as_str().unwrap()).unwrap();
    let point = p256::EncodedPoint::from_affine_coordinates(
        coordinate("x").as_slice().into(),
        coordinate("y").as_slice().into(),
        false,
    );
    let key = p256::ecdsa::VerifyingKey::from_encoded_point(&point).unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    let signature =
        p256::ecdsa::Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
    key.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
        .expect("the token verifies with the published P-256 key");
    assert_eq!(app.get("/v1/models").send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_generated_key_is_kept_so_another_replica_accepts_earlier_tokens() {
    let app = crate::helpers::spawn_app().await;
    let settings = smm::settings::Settings::from_vars(std::collections::HashMap::from([
        ("SMM_LISTEN_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
        ("SMM_DATABASE_URL".to_owned(), app.database_url.clone()),
        ("SMM_WORKERS".to_owned(), "1".to_owned()),
    ]))
    .unwrap();
    let replica = smm::startup::Application::build(&settings).await.unwrap();
    let address = format!("http://127.0.0.1:{}", replica.port());
    tokio::spawn(replica.run_until_stopped());
    let response = app
        .client
        .get(format!("{address}/v1/models"))
        .bearer_auth(&app.tenant.token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        200,
        "a token of the first replica works on the second"
    );
}
