using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Registry;

namespace Archives.Gateway.Certificates;

/// <summary>
/// The issuing rules, short of writing: the holding node, the caller's coverage, the evidence (the node is asked
/// about the subject), the match and a signing key.
/// </summary>
internal sealed class IssueDecider(NodeRegistry registry, EvidenceSource evidence, CertificateKeyStore keys, ILogger<IssueDecider> logger)
{
    public async Task<IssueDecision> DecideAsync(Caller caller, CertificateRequest request, CancellationToken cancellationToken)
    {
        if (!registry.TryGetNode(request.Record.NodeId, out var node))
        {
            return new IssueDecision.Refuse(new IssueOutcome.UnknownNode(), null);
        }

        if ((node.Description.DivisionCode ?? (DivisionCode.TryParse(node.NodeId, out var fromId, out _) ? fromId : null)) is not { } division)
        {
            logger.LogError("Registry node {NodeId} has no division code; certificates of its records cannot be numbered.", node.NodeId);
            return new IssueDecision.Refuse(new IssueOutcome.NodeUnavailable(NodeStatus.Error), null);
        }

        if (!caller.Regions.Any(division.IsWithin))
        {
            return new IssueDecision.Refuse(new IssueOutcome.NotCovered(), null);
        }

        var answer = await evidence.FetchAsync(node, request.Record.RecordId, request.Subject, cancellationToken);
        var read = CertificateAuditEvent.RecordRead(caller, request, node.NodeId, answer);
        if (answer is not EvidenceAnswer.Found { Evidence: var record })
        {
            return new IssueDecision.Refuse(answer switch
            {
                EvidenceAnswer.Pending pending => new IssueOutcome.RetrievalPending(pending.Retrieval),
                EvidenceAnswer.Unavailable unavailable => new IssueOutcome.NodeUnavailable(unavailable.Status),
                _ => new IssueOutcome.RecordNotFound(),
            }, read);
        }

        // A record of a category outside the agreement, or one that the node matched but whose stated identity
        // disagrees with the subject, answers exactly as a missing record.
        if (!caller.Categories.Contains(record.Category) || !AgreesWithSubject(record, request.Subject))
        {
            return new IssueDecision.Refuse(new IssueOutcome.RecordNotFound(), read);
        }

        if (record.Match == MatchKind.Probable && !request.ProbableMatchConfirmed)
        {
            return new IssueDecision.Refuse(new IssueOutcome.ProbableMatchNotConfirmed(), read);
        }

        return await keys.GetActiveAsync(cancellationToken) is { } signingKey
            ? new IssueDecision.Issue(node, division, record, signingKey, read)
            : new IssueDecision.Refuse(new IssueOutcome.SigningUnavailable(), read);
    }

    /// <summary>The identity the record states does not contradict the subject (the node matched them; this guards against a careless node).</summary>
    private static bool AgreesWithSubject(RecordEvidence record, Subject subject)
    {
        if (subject.IdNumber is { } id && record.MaskedIdNumber is { } masked && IdNumber.Mask(masked.Trim()) != id.Masked)
        {
            return false;
        }

        var birthDate = subject.BirthDate ?? subject.IdNumber?.BirthDate;
        return record.SubjectBirthDate is not { } stated || birthDate is not { } given || stated == given;
    }
}
