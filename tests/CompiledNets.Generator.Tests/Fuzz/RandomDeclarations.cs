using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompiledNets.Generator.Tests.Infrastructure;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>
/// Draws one <see cref="FuzzCase"/> from a seed: a random layer sequence on a class declared the usual way or one
/// of the ways the generator must refuse, sometimes nested, sometimes split over two partial declarations, now and
/// then without its marker or with an attribute that does not bind (the user is typing).
/// </summary>
internal static class RandomDeclarations
{
    /// <summary>
    /// How often the class, or a member of it, takes the name of a member the generated class declares
    /// (<see cref="ClashingNames.Members"/>, <see cref="ClashingNames.LayerMembers"/>): CN0023 or CN0024 must report
    /// it, or it is no clash and everything compiles. Set it to 0 to fuzz everything else while a clash is a known, open bug.
    /// </summary>
    internal const double NameClashRate = 0.05;

    /// <summary>
    /// How often the class, a type beside it (in its namespace or a containing type), or a member of it or of a
    /// containing type takes the name of a type the generated code uses (<see cref="ClashingNames.Types"/>: Unsafe,
    /// Optimizer, Vector256, Array, ...). The generated code names its types from global::, so this is no clash at
    /// all: the case must compile, and be judged, as if the name were any other.
    /// </summary>
    internal const double TypeClashRate = 0.05;

    /// <summary>Attributes the compiler cannot bind: a missing, extra or mistyped argument, as while the user types.</summary>
    private static readonly string[] Unbound =
        { "Dense", "Input(1, 2)", "Conv2D(4)", "Loss", "Dropout", "Dense(\"10\")", "MaxPool2D(2, Stride = 1.5)", "Dense(4, Activation = 3)" };

    public static FuzzCase Create(int seed)
    {
        var random = new Random(seed);
        List<FuzzAttribute> layers = RandomLayerSequences.Next(random);

        // Types in the global namespace are shared by the whole batch, so their names carry the seed.
        bool inGlobalNamespace = random.Chance(0.05);
        string? ns = inGlobalNamespace ? null : $"Fuzz.Case{seed}";
        string suffix = inGlobalNamespace ? "_" + seed.ToString(CultureInfo.InvariantCulture) : "";
        string name = "Net" + suffix;
        string? neighbour = null, clashingName = null, clashingMember = null, containerMember = null;
        if (!inGlobalNamespace && random.Chance(NameClashRate + TypeClashRate))
        {
            if (random.Chance(NameClashRate / (NameClashRate + TypeClashRate)))
            {
                if (random.Chance(0.4)) name = clashingName = random.Pick(ClashingNames.Members);
                else
                {
                    clashingName = random.Pick(random.Chance(0.6) ? ClashingNames.Members : ClashingNames.LayerMembers);
                    clashingMember = random.Pick(ClashingNames.MemberDeclarations).Replace("{0}", clashingName, StringComparison.Ordinal);
                }
            }
            else
            {
                clashingName = random.Pick(ClashingNames.Types);
                switch (random.Next(4))
                {
                    case 0: name = clashingName; break;
                    case 1: neighbour = TypeNamed(random, clashingName); break;
                    case 2: clashingMember = random.Pick(ClashingNames.MemberDeclarations).Replace("{0}", clashingName, StringComparison.Ordinal); break;
                    default: containerMember = random.Pick(ClashingNames.ContainerMemberDeclarations).Replace("{0}", clashingName, StringComparison.Ordinal); break;
                }
            }
        }

        ContainerShape[] containers = DeclarationShapes.ContainersFor(random);
        if (containerMember is not null && containers.Length == 0)
        {
            // No containing type to hold the member: the name goes to a type beside the network instead.
            neighbour = TypeNamed(random, clashingName!);
            containerMember = null;
        }
        string[] containerNames = containers.Select((_, depth) => $"Outer{depth}{suffix}").ToArray();
        NetworkShape shape = DeclarationShapes.Network(random, nested: containers.Length > 0);

        List<string> attributes = layers.Select(layer => layer.Render(random)).ToList();
        if (random.Chance(0.03)) attributes.Insert(random.Next(attributes.Count + 1), random.Pick(Unbound));
        // The marker's place among the layer attributes is no layer's business; without it, CN0013 and nothing generated.
        bool hasMarker = !random.Chance(0.03);
        if (hasMarker)
            attributes.Insert(random.Chance(0.8) ? 0 : random.Next(attributes.Count + 1), random.Chance(0.1) ? "CompiledNetwork()" : "CompiledNetwork");
        List<string>? secondPart = shape.TypeParameters is not null && random.Chance(0.05) ? TakeSome(random, attributes) : null;

        var text = new IndentedText();
        text.Line("using CompiledNets;");
        text.Line();
        bool blockNamespace = ns is not null && random.Chance(0.4);
        if (blockNamespace) text.Open($"namespace {ns}");
        else if (ns is not null) { text.Line($"namespace {ns};"); text.Line(); }
        if (neighbour is not null) { text.Line(neighbour); text.Line(); }
        for (int i = 0; i < containers.Length; i++) text.Open(containers[i].Named(containerNames[i]));
        if (containerMember is not null) { text.Line(containerMember); text.Line(); }

        WriteAttributes(random, text, attributes);
        text.Line(shape.Named(name));
        if (secondPart is not null)
        {
            // A second part as a user writes one: perhaps with layer attributes that belong on the first (CN0012),
            // perhaps using a generated constant, which must then exist.
            text.Line();
            WriteAttributes(random, text, secondPart);
            string body = random.Chance(0.3) ? "{ public int Classes => OutputSize; }" : "{ }";
            text.Line($"partial class {name}{shape.TypeParameters} {body}");
        }
        if (clashingMember is not null)
        {
            // In a part of its own, as a user adds members beside the one that carries the attributes (a record has none).
            text.Line();
            text.Line(shape.TypeParameters is null ? $"// {clashingMember}" : $"partial class {name}{shape.TypeParameters} {{ {clashingMember} }}");
        }

        for (int i = 0; i < containers.Length; i++) text.Close();
        if (blockNamespace) text.Close();

        string typePath = string.Join(".", containerNames.Append(name));
        // Without the marker nothing is generated, so there is nothing to use.
        // A class named like a public member, or with a field of that name, cannot have the generated one to be used.
        bool usable = hasMarker && shape.Usable && containers.All(c => c.Healthy) && !(clashingName is not null && ClashingNames.Public.Contains(clashingName));
        return new FuzzCase(seed, ns, typePath, text.ToString(), hasMarker, usable ? Usage(seed, ns, typePath) : null, clashingName);
    }

    /// <summary>A type declaration of the name (<see cref="ClashingNames.TypeDeclarations"/>), generic now and then where the generated code uses the generic type too.</summary>
    private static string TypeNamed(Random random, string name) =>
        ClashingNames.GenericTypes.Contains(name) && random.Chance(0.5)
            ? $"public class {name}<T> {{ }}"
            : random.Pick(ClashingNames.TypeDeclarations).Replace("{0}", name, StringComparison.Ordinal);

    /// <summary>One attribute per list mostly, sometimes several in one list ([Input(8), Dense(4)]): the order is the same.</summary>
    private static void WriteAttributes(Random random, IndentedText text, List<string> attributes)
    {
        var list = new List<string>();
        foreach (string attribute in attributes)
        {
            if (list.Count > 0 && !random.Chance(0.1))
            {
                text.Line($"[{string.Join(", ", list)}]");
                list.Clear();
            }
            list.Add(attribute);
        }
        if (list.Count > 0) text.Line($"[{string.Join(", ", list)}]");
    }

    /// <summary>Moves up to two attributes, perhaps the marker, to the second partial declaration.</summary>
    private static List<string> TakeSome(Random random, List<string> attributes)
    {
        var taken = new List<string>();
        for (int count = random.Next(0, 3); count > 0 && attributes.Count > 0; count--)
        {
            int at = random.Next(attributes.Count);
            taken.Add(attributes[at]);
            attributes.RemoveAt(at);
        }
        return taken;
    }

    /// <summary>
    /// The shared "uses every member" file, through an alias and in a namespace of its own: the network's own
    /// namespace may hold a type named like one the usage code needs (Optimizer).
    /// </summary>
    private static string Usage(int seed, string? ns, string typePath)
    {
        const string Alias = "FuzzedNetwork", FixtureNamespace = "namespace Samples;";
        string uses = NetworkSources.UsesEveryMember(Alias);
        if (!uses.Contains(FixtureNamespace, StringComparison.Ordinal))
            throw new InvalidOperationException($"NetworkSources.UsesEveryMember no longer declares '{FixtureNamespace}'; update {nameof(RandomDeclarations)}.{nameof(Usage)}.");
        string fullName = ns is null ? typePath : ns + "." + typePath;
        return $"using {Alias} = global::{fullName};\n" + uses.Replace(FixtureNamespace, $"namespace FuzzUsage.Case{seed};", StringComparison.Ordinal);
    }
}
