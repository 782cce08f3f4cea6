namespace CompiledNets.Generator.Model;

/// <summary>
/// A problem with a network, as plain values: the descriptor id, the layer attribute it concerns
/// (<see cref="AttributeIndex"/>, or -1 for the class itself) and the message arguments.
/// The analyzer turns it into a <c>Diagnostic</c> at the attribute's location.
/// </summary>
internal sealed record PlanDiagnostic(string Id, int AttributeIndex, EquatableArray<string> Arguments, bool BlocksEmission = false)
{
    public const int ClassLevel = -1;
}
