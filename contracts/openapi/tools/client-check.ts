// Compiles only if the types openapi-typescript generates from gateway.v1.json carry what a
// government app needs: the issuance body, the certificate answer and the federated answers.
import type { components, paths } from "./generated/gateway.v1";

type Schemas = components["schemas"];

const request: Schemas["CertificateRequest"] = {
  record: { nodeId: "330100", recordId: "HZ-OC-1986-0001" },
  subject: { idNumber: "330106195503121238", name: "陈建国", birthDate: "1955-03-12" },
  purpose: "办理退休手续",
  use: "certify",
  applicant: { relation: "self" },
  issuedVia: { kind: "online", name: "浙里办" },
};

type IssueHeaders = paths["/api/v1/certificates"]["post"]["parameters"]["header"];
const headers: IssueHeaders = { "Idempotency-Key": "5f0c3a5e-8c1b-4f7e-9d55-2b8f7f0a6e41" };

type Issued = paths["/api/v1/certificates"]["post"]["responses"][201]["content"]["application/json"];
const number = (issued: Issued): string => issued.certificate.number;

type Problem = paths["/api/v1/certificates"]["post"]["responses"][422]["content"]["application/problem+json"];
const title = (problem: Problem): string | null | undefined => problem.title;

const outcomes = (answer: Schemas["CatalogueSearchAnswer"]): string[] => answer.nodes.map((n) => `${n.nodeId}: ${n.status} in ${n.latencyMs} ms`);

type SearchQuery = NonNullable<paths["/api/v1/catalog/search"]["get"]["parameters"]["query"]>;
const query: SearchQuery = { q: "婚姻", region: "33", limit: 20 };

export { request, headers, number, title, outcomes, query };
