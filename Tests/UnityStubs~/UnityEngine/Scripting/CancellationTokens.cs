// Stubs of MonoBehaviour.destroyCancellationToken and Application.exitCancellationToken, which Unity
// added in 2022.2 (UnityCsReference Runtime/Export/Scripting/MonoBehaviour.bindings.cs,
// Runtime/Export/Application/Application.cs): compiled only with UNITY_2022_2_OR_NEWER, as code using
// them must be. Object.Destroy cancels the token; UnityStubs.Lifetimes.RaiseExit() cancels the exit
// token (Unity raises it when play mode or the player ends). Test scaffolding only.
#if UNITY_2022_2_OR_NEWER
using System.Threading;

namespace UnityEngine
{
    public partial class MonoBehaviour
    {
        CancellationTokenSource m_CancellationTokenSource;

        public CancellationToken destroyCancellationToken
        {
            get
            {
                if (this == null)
                    throw new MissingReferenceException("DestroyCancellation token should be called atleast once before destroying the monobehaviour object");
                m_CancellationTokenSource ??= new CancellationTokenSource();
                return m_CancellationTokenSource.Token;
            }
        }

        internal override void OnStubDestroyed() => m_CancellationTokenSource?.Cancel();
    }

    public partial class Application
    {
        internal static CancellationTokenSource s_ExitSource = new CancellationTokenSource();

        public static CancellationToken exitCancellationToken => s_ExitSource.Token;
    }
}
#endif
