namespace Spooled.Testing;

/// <summary>A directory-entry change not yet made durable by <see cref="SimulatedStorage.SyncDirectory"/>.</summary>
/// <param name="Kind">What changed.</param>
/// <param name="Name">The created, deleted or renamed (source) name.</param>
/// <param name="Target">The new name of a rename; null otherwise.</param>
/// <param name="Node">The created file; null otherwise.</param>
internal sealed record DirectoryOperation(DirectoryOperationKind Kind, string Name, string? Target, SimulatedNode? Node)
{
    /// <summary>Replays the change onto <paramref name="directory"/>, the state it was issued against.</summary>
    public void ApplyTo(SortedDictionary<string, SimulatedNode> directory)
    {
        switch (Kind)
        {
            case DirectoryOperationKind.Create:
                directory[Name] = Node!;
                break;
            case DirectoryOperationKind.Delete:
                directory.Remove(Name);
                break;
            case DirectoryOperationKind.Rename:
                if (directory.Remove(Name, out var node))
                {
                    directory[Target!] = node;
                }

                break;
            default:
                throw new InvalidOperationException($"Unknown directory operation {Kind}.");
        }
    }
}
