using System.Runtime.CompilerServices;

// As in Unity, the editor assembly sees engine internals (here: the stub's main-thread check).
[assembly: InternalsVisibleTo("UnityEditor")]
