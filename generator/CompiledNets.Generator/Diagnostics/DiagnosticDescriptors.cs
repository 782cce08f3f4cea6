using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace CompiledNets.Generator.Diagnostics;

/// <summary>
/// Every diagnostic CompiledNets reports. IDs are stable; each has a section in docs/diagnostics.md.
/// Messages name the layer, the shapes involved and the fix.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "CompiledNets";
    private const string HelpBase = "https://github.com/compilednets/compilednets/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor MissingInput = Error(
        "CN0001", "Network has no [Input]",
        "Network '{0}' has no [Input]: add [Input(height, width, channels)] or [Input(size)] before the first layer");

    public static readonly DiagnosticDescriptor DuplicateInput = Error(
        "CN0002", "Network has more than one [Input]",
        "Network '{0}' has more than one [Input]: a network takes exactly one input; remove this one");

    public static readonly DiagnosticDescriptor NonPositiveArgument = Error(
        "CN0003", "Layer argument must be positive",
        "{0}: {1} is {2}, but must be at least 1");

    public static readonly DiagnosticDescriptor WindowLargerThanInput = Error(
        "CN0004", "Kernel or pool window larger than its input",
        "{0}: the {1} window {2} does not fit its input of shape {3}; use a smaller window or a larger input");

    public static readonly DiagnosticDescriptor NeedsImageInput = Error(
        "CN0005", "Layer needs an (height, width, channels) input",
        "{0} needs an (height, width, channels) input, but its input is the flat vector {1}; move it before [Flatten] or use an image [Input(h, w, c)]");

    public static readonly DiagnosticDescriptor DenseNeedsFlatInput = Error(
        "CN0006", "Dense needs a flat input",
        "{0} receives the (height, width, channels) tensor {1}; add [Flatten] before it");

    public static readonly DiagnosticDescriptor SoftmaxNotLast = Error(
        "CN0007", "Softmax is allowed on the last layer only",
        "{0} uses Activation.Softmax but is not the last layer; use another activation here and Softmax on the output layer");

    public static readonly DiagnosticDescriptor LossDoesNotFitOutput = Error(
        "CN0008", "Loss does not fit the output layer",
        "{0} needs {1} on the last layer, but {2} has Activation.{3}; set Activation = Activation.{1} on the last layer");

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "CN0009", "Network class must be partial",
        "Class '{0}' is marked [CompiledNetwork] but is not partial; declare it 'partial class {0}' so the generator can add its members");

    public static readonly DiagnosticDescriptor Generic = Error(
        "CN0010", "Network class must not be generic",
        "Class '{0}' is generic; a [CompiledNetwork] class has fixed shapes and cannot have type parameters");

    public static readonly DiagnosticDescriptor Static = Error(
        "CN0011", "Network class must not be static",
        "Class '{0}' is static; a [CompiledNetwork] class holds parameters and must be instantiable: remove 'static'");

    public static readonly DiagnosticDescriptor LayersOnOtherDeclaration = Error(
        "CN0012", "Layer attributes must sit on the [CompiledNetwork] declaration",
        "{0} is on another partial declaration of '{1}'; move all layer attributes to the declaration that carries [CompiledNetwork], whose order defines the network");

    public static readonly DiagnosticDescriptor LayerWithoutNetwork = new(
        "CN0013", "Layer attribute without [CompiledNetwork]",
        "Class '{0}' has CompiledNets layer attributes but no [CompiledNetwork]; add [CompiledNetwork] or the attributes have no effect",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + "cn0013");

    public static readonly DiagnosticDescriptor NotSupportedYet = Error(
        "CN0014", "Layer option not supported yet",
        "{0}: {1} is not supported yet by this version of CompiledNets; {2}");

    public static readonly DiagnosticDescriptor DropoutRate = Error(
        "CN0015", "Dropout rate out of range",
        "{0}: rate {1} is outside [0, 1); use a rate such as 0.25");

    public static readonly DiagnosticDescriptor NoLayers = Error(
        "CN0016", "Network has no layers",
        "Network '{0}' has no layer with parameters, so it has nothing to compute or train; add at least one [Dense(units)] or [Conv2D(...)]");

    public static readonly DiagnosticDescriptor TooLarge = Error(
        "CN0017", "Network too large",
        "{0}: {1} would need {2} floats, more than the {3} an array can hold; use smaller layers");

    public static readonly DiagnosticDescriptor DuplicateLoss = Error(
        "CN0018", "Network has more than one [Loss]",
        "Network '{0}' has more than one [Loss]; keep one");

    public static readonly DiagnosticDescriptor ShrinksToZero = Error(
        "CN0019", "Layer output shrinks to nothing",
        "{0}: input {1} gives an empty output {2}; use a smaller kernel or stride, Padding.Same, or a larger input");

    public static readonly DiagnosticDescriptor InputAfterLayers = Error(
        "CN0020", "[Input] must come first",
        "[Input] of '{0}' comes after layer {1}; move [Input(...)] above the first layer");

    public static readonly DiagnosticDescriptor ContainerNotPartial = Error(
        "CN0021", "Type containing a network must be partial and non-generic",
        "'{0}' contains the network '{1}' but is {2}; declare it as a non-generic 'partial {3} {0}' so the generated members can be added");

    public static readonly DiagnosticDescriptor NotAClass = Error(
        "CN0022", "Network must be a class",
        "'{0}' is a record; a [CompiledNetwork] network must be a class: declare it 'partial class {0}'");

    public static readonly DiagnosticDescriptor MemberNamedLikeGenerated = Error(
        "CN0023", "Member named like a generated member",
        "'{0}' {1}, which the generated network defines too; {2}");

    public static readonly DiagnosticDescriptor ClassNamedLikeMember = Error(
        "CN0024", "Network class named like a generated member",
        "The network class '{0}' has the name of a member the generated network declares, and a class cannot contain a member of its own name; rename the class");

    public static readonly DiagnosticDescriptor FileLocal = Error(
        "CN0025", "Network must not be file-local",
        "'{0}' is a file-local type: the generated part of '{1}', in a file of its own, would declare another type instead of completing it; remove 'file' ('internal' keeps it out of other assemblies)");

    /// <summary>All descriptors, by id, for the analyzer and tests.</summary>
    public static readonly ImmutableDictionary<string, DiagnosticDescriptor> ById = new[]
    {
        MissingInput, DuplicateInput, NonPositiveArgument, WindowLargerThanInput, NeedsImageInput, DenseNeedsFlatInput,
        SoftmaxNotLast, LossDoesNotFitOutput, NotPartial, Generic, Static, LayersOnOtherDeclaration, LayerWithoutNetwork,
        NotSupportedYet, DropoutRate, NoLayers, TooLarge, DuplicateLoss, ShrinksToZero, InputAfterLayers,
        ContainerNotPartial, NotAClass, MemberNamedLikeGenerated, ClassNamedLikeMember, FileLocal,
    }.ToImmutableDictionary(d => d.Id);

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpBase + id.ToLowerInvariant());
}
