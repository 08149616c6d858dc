namespace Spooled.Testing;

/// <summary>The kinds of directory-entry change a crash may undo.</summary>
internal enum DirectoryOperationKind
{
    Create = 0,
    Delete = 1,
    Rename = 2,
}
