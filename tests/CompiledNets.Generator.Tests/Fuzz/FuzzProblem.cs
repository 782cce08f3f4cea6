namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// One way a case broke the promise. <see cref="Kind"/> groups alike failures in the report ("CS0117 in
/// generated code"), so one bug hit by forty cases reads as one line, not forty.
/// </summary>
/// <param name="FromNameClash">The case gives a type a name the generated code uses (<see cref="ClashingNames"/>): reported after the rest.</param>
internal sealed record FuzzProblem(string Kind, string Detail, bool FromNameClash = false);
