// The agency flow through a client generated from openapi/openapi.json (openapi-typescript types,
// openapi-fetch calls): a token, a client, an assessment, a respondent's answers to every
// question, the submission, the results and the report. It must type-check strictly without a
// cast, a non-null assertion or `any` (check.sh refuses them), so the document types every body,
// parameter and header a client sends; and it must run against the service.
//
//   node dist/agency_flow.js <base URL> <client id> <client secret>

import createClient from "openapi-fetch";
import type { paths } from "./generated/schema.js";

const [baseUrl, clientId, clientSecret] = process.argv.slice(2);
if (baseUrl === undefined || clientId === undefined || clientSecret === undefined) {
  throw new Error("usage: agency_flow.js <base URL> <client id> <client secret>");
}

function fail(step: string, error: unknown): never {
  throw new Error(`${step} failed: ${JSON.stringify(error)}`);
}

const anonymous = createClient<paths>({ baseUrl });
const token = await anonymous.POST("/v1/oauth/token", {
  body: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
});
if (token.data === undefined) fail("token", token.error);

const api = createClient<paths>({
  baseUrl,
  headers: { Authorization: `Bearer ${token.data.access_token}` },
});

const client = await api.POST("/v1/clients", {
  params: { header: { "Idempotency-Key": `ts-client-${Date.now()}` } },
  body: { name: "Bakkerij De Korenbloem", nace_section: "G", size_band: "small", country: "NL" },
});
if (client.data === undefined) fail("client", client.error);

const models = await api.GET("/v1/models", { params: { query: { limit: 10 } } });
if (models.data === undefined) fail("models", models.error);
const modelIds = models.data.items.map((model) => model.id);

const assessment = await api.POST("/v1/assessments", {
  body: {
    client_id: client.data.id,
    title: "Baseline",
    model_ids: modelIds,
    targets: { "social-media-pyramid": "create" },
  },
});
if (assessment.data === undefined) fail("assessment", assessment.error);
const id = assessment.data.id;

const questionnaire = await api.GET("/v1/assessments/{id}/questionnaire", {
  params: { path: { id }, header: { "Accept-Language": "nl" } },
});
if (questionnaire.data === undefined) fail("questionnaire", questionnaire.error);

const respondent = await api.POST("/v1/assessments/{id}/respondents", {
  params: { path: { id } },
  body: { label: "Marketing lead" },
});
if (respondent.data === undefined) fail("respondent", respondent.error);

const answers = questionnaire.data.items.map((question) => ({
  indicator_id: question.indicator_id,
  value: 3,
}));
const saved = await api.PUT("/v1/assessments/{id}/respondents/{respondent_id}/answers", {
  params: { path: { id, respondent_id: respondent.data.respondent.id } },
  body: { answers },
});
if (saved.data === undefined) fail("answers", saved.error);

const submitted = await api.POST("/v1/assessments/{id}/submit", {
  params: { path: { id }, header: { "Idempotency-Key": `ts-submit-${id}` } },
});
if (submitted.data === undefined) fail("submission", submitted.error);

const results = await api.GET("/v1/assessments/{id}/results", { params: { path: { id } } });
if (results.data === undefined) fail("results", results.error);
const placed = results.data.results.map((result) => `${result.model_id}: ${result.stage?.id ?? "-"}`);

const report = await api.GET("/v1/assessments/{id}/report", {
  params: { path: { id }, query: { format: "csv" } },
  parseAs: "text",
});
if (report.data === undefined) fail("report", report.error);

console.log(`placed on ${placed.length} models (${placed.join(", ")}); roadmap of ${results.data.roadmap.length} steps; report ${report.data.length} characters`);
