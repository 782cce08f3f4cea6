using System.Collections.Generic;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>What happened to one case.</summary>
/// <param name="CnIds">Every CN diagnostic the analyzer reported for the case, errors and warnings, one entry each.</param>
/// <param name="HasCnError">The analyzer reported at least one CN error: the network is wrong and says so.</param>
/// <param name="HasUserErrors">The declaration does not compile even without the generator (an attribute that does not bind).</param>
/// <param name="IsValid">No CN error, and the generator wrote a working network that compiles cleanly with code using it.</param>
internal sealed record CaseOutcome(
    FuzzCase Case,
    IReadOnlyList<string> CnIds,
    bool HasCnError,
    bool HasUserErrors,
    bool IsValid,
    IReadOnlyList<FuzzProblem> Problems)
{
    public static CaseOutcome Crashed(FuzzCase fuzzCase, FuzzProblem problem) =>
        new(fuzzCase, new List<string>(), HasCnError: false, HasUserErrors: false, IsValid: false, new[] { problem });
}
