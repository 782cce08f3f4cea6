namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>One source file of a batch: a case's declaration, or the code using its network.</summary>
/// <param name="Owner">The index of the case in its batch.</param>
internal sealed record BatchFile(string Text, int Owner, bool IsUsage);
