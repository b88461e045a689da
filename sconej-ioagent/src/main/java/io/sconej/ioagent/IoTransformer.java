package io.sconej.ioagent;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassElement;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.IdentityHashMap;

/**
 * Inserts a short prologue into each {@link Hook} method with the JDK's class-file API ({@code
 * java.lang.classfile}); the original code follows the prologue unchanged.
 *
 * <p>For stream classes the prologue tests the descriptor's marker ({@code handle == -2}, set only
 * on shielded streams; on Linux the JDK never uses {@code handle}) and otherwise jumps straight to
 * the original code: one static call, one interface call and a branch. For {@code UnixFileSystem}
 * it calls the bridge and returns its answer unless it is the "not routed" sentinel. For the two
 * temporary-file classes it makes the default temporary directory {@code java.io.tmpdir}'s value
 * at the call, not the value the JDK cached at start (see {@link Hook.Kind#TEMP_FILE}).
 *
 * <p>Guarantee: {@link #missing()} names every hook that was not applied; the agent refuses to
 * start the application if any is missing. Other classes are returned unchanged ({@code null}).
 */
final class IoTransformer implements ClassFileTransformer {
  static final long MARK = -2L;

  private static final ClassDesc FD = ClassDesc.of("java.io.FileDescriptor");
  private static final ClassDesc STRING = ClassDesc.of("java.lang.String");
  private static final ClassDesc FILE = ClassDesc.of("java.io.File");
  private static final ClassDesc PATH = ClassDesc.of("java.nio.file.Path");
  private static final ClassDesc SYSTEM = ClassDesc.of("java.lang.System");
  private static final ClassDesc IO_BRIDGE = ClassDesc.of("io.sconej.ioagent.boot.IoBridge");
  private static final ClassDesc FILE_BRIDGE = ClassDesc.of("io.sconej.ioagent.boot.FileBridge");
  private static final ClassDesc SECRETS = ClassDesc.of("jdk.internal.access.SharedSecrets");
  private static final ClassDesc FD_ACCESS =
      ClassDesc.of("jdk.internal.access.JavaIOFileDescriptorAccess");
  private static final MethodTypeDesc GET_ACCESS = MethodTypeDesc.of(FD_ACCESS);
  private static final MethodTypeDesc GET_HANDLE =
      MethodTypeDesc.ofDescriptor("(Ljava/io/FileDescriptor;)J");
  private static final MethodTypeDesc SET_HANDLE =
      MethodTypeDesc.ofDescriptor("(Ljava/io/FileDescriptor;J)V");

  private final Map<String, Map<String, Hook>> byClass = new HashMap<>();
  // Identity, not record equality: Hook.hashCode would bootstrap ObjectMethods (start-up time).
  private final Set<Hook> applied =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
  private final List<Hook> hooks;
  private final PatchCache cache;
  private final boolean verifyCache;
  private final Map<String, byte[][]> seen = Collections.synchronizedMap(new HashMap<>());
  private volatile int hits;

  /**
   * @param cache transformed bytes from build time, used when the input matches exactly
   * @param verifyCache whether to recompute a cached result and refuse it if it differs (tests)
   */
  IoTransformer(List<Hook> hooks, PatchCache cache, boolean verifyCache) {
    this.hooks = List.copyOf(hooks);
    this.cache = cache;
    this.verifyCache = verifyCache;
    for (Hook h : hooks) {
      Map<String, Hook> methods = byClass.get(h.owner());
      if (methods == null) {
        methods = new HashMap<>();
        byClass.put(h.owner(), methods);
      }
      methods.put(h.key(), h);
    }
  }

  /** Returns how many classes came from the build-time cache. */
  int cacheHits() {
    return hits;
  }

  /** Returns class name to {original, transformed} bytes for every class transformed so far. */
  Map<String, byte[][]> seen() {
    return new HashMap<>(seen);
  }

  /** Returns the hooks not applied so far, in table order. */
  List<Hook> missing() {
    List<Hook> missing = new ArrayList<>();
    for (Hook h : hooks) {
      if (!applied.contains(h)) {
        missing.add(h);
      }
    }
    return missing;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] bytes) {
    Map<String, Hook> methods = loader == null ? byClass.get(className) : null;
    if (methods == null) {
      return null;
    }
    byte[] out = cache.lookup(className, bytes);
    if (out != null) {
      if (verifyCache && !Arrays.equals(out, compute(methods, bytes))) {
        throw new IllegalStateException("sconej-ioagent: stale patch cache for " + className);
      }
      applied.addAll(methods.values());
      hits++;
    } else {
      out = compute(methods, bytes);
    }
    seen.put(className, new byte[][] {bytes.clone(), out.clone()});
    return out;
  }

  private byte[] compute(Map<String, Hook> methods, byte[] bytes) {
    ClassFile cf = ClassFile.of();
    ClassModel model = cf.parse(bytes);
    return cf.transformClass(model, new Methods(methods));
  }

  /** Rewrites the hooked methods of one class. */
  private final class Methods implements ClassTransform {
    private final Map<String, Hook> methods;

    Methods(Map<String, Hook> methods) {
      this.methods = methods;
    }

    @Override
    public void accept(ClassBuilder builder, ClassElement element) {
      if (element instanceof MethodModel m) {
        Hook h = methods.get(m.methodName().stringValue() + m.methodType().stringValue());
        if (h != null && m.code().isPresent()) {
          builder.transformMethod(m, MethodTransform.transformingCode(new Prologue(h)));
          applied.add(h);
          return;
        }
      }
      builder.with(element);
    }
  }

  /** Emits the prologue of one hook, then copies the original code. */
  private static final class Prologue implements CodeTransform {
    private final Hook h;
    private final ClassDesc owner;
    private final MethodTypeDesc type;

    Prologue(Hook h) {
      this.h = h;
      this.owner = ClassDesc.ofInternalName(h.owner());
      this.type = MethodTypeDesc.ofDescriptor(h.desc());
    }

    @Override
    public void accept(CodeBuilder cob, CodeElement e) {
      cob.with(e);
    }

    @Override
    public void atStart(CodeBuilder cob) {
      Label orig = cob.newLabel();
      switch (h.kind()) {
        case OPEN -> open(cob, orig);
        case RETURN -> {
          marked(cob, orig);
          fd(cob);
          loadArgs(cob, 1);
          cob.invokestatic(IO_BRIDGE, h.bridge(), type.insertParameterTypes(0, FD));
          if (h.mirror()) {
            cob.aload(0);
            fd(cob);
            cob.invokestatic(IO_BRIDGE, "position", MethodTypeDesc.ofDescriptor(
                "(Ljava/io/FileDescriptor;)J"));
            cob.invokevirtual(owner, "seek0", MethodTypeDesc.ofDescriptor("(J)V"));
          }
          cob.return_(TypeKind.from(type.returnType()));
        }
        case CONTINUE -> {
          marked(cob, orig);
          fd(cob);
          cob.invokestatic(IO_BRIDGE, h.bridge(), MethodTypeDesc.ofDescriptor(
              "(Ljava/io/FileDescriptor;)V"));
        }
        case FALSE -> {
          marked(cob, orig);
          cob.iconst_0();
          cob.ireturn();
        }
        case META -> meta(cob);
        case TEMP_FILE -> {
          tmpDirProperty(cob);
          cob.ifnull(orig);
          cob.new_(FILE);
          cob.dup();
          tmpDirProperty(cob);
          cob.invokespecial(FILE, "<init>", MethodTypeDesc.ofDescriptor("(Ljava/lang/String;)V"));
          cob.areturn();
        }
        case TEMP_PATH -> {
          cob.aload(0);
          cob.ifnonnull(orig);
          tmpDirProperty(cob);
          cob.ifnull(orig);
          tmpDirProperty(cob);
          cob.iconst_0();
          cob.anewarray(STRING);
          cob.invokestatic(PATH, "of", MethodTypeDesc.ofDescriptor(
              "(Ljava/lang/String;[Ljava/lang/String;)Ljava/nio/file/Path;"), true);
          cob.astore(0);
        }
        default -> throw new IllegalStateException("unknown hook kind " + h.kind());
      }
      cob.labelBinding(orig);
    }

    /** Pushes {@code System.getProperty("java.io.tmpdir")}. */
    private static void tmpDirProperty(CodeBuilder cob) {
      cob.loadConstant("java.io.tmpdir");
      cob.invokestatic(SYSTEM, "getProperty", MethodTypeDesc.ofDescriptor(
          "(Ljava/lang/String;)Ljava/lang/String;"));
    }

    private void fd(CodeBuilder cob) {
      cob.aload(0);
      cob.getfield(owner, "fd", FD);
    }

    /** Jumps to {@code orig} unless the stream's descriptor carries the shielded marker. */
    private void marked(CodeBuilder cob, Label orig) {
      cob.invokestatic(SECRETS, "getJavaIOFileDescriptorAccess", GET_ACCESS);
      fd(cob);
      cob.invokeinterface(FD_ACCESS, "getHandle", GET_HANDLE);
      cob.loadConstant(MARK);
      cob.lcmp();
      cob.ifne(orig);
    }

    private void open(CodeBuilder cob, Label orig) {
      fd(cob);
      loadArgs(cob, 1);
      cob.invokestatic(IO_BRIDGE, h.bridge(), type.insertParameterTypes(0, FD)
          .changeReturnType(ClassDesc.ofDescriptor("Z")));
      cob.ifeq(orig);
      cob.aload(0);
      cob.invokestatic(IO_BRIDGE, "scratchPath", MethodTypeDesc.of(STRING));
      if (type.parameterCount() == 2) {
        cob.iconst_1(); // FileOutputStream: append=true; RandomAccessFile: O_RDONLY
      }
      cob.invokevirtual(owner, "open0", type);
      cob.invokestatic(SECRETS, "getJavaIOFileDescriptorAccess", GET_ACCESS);
      fd(cob);
      cob.loadConstant(MARK);
      cob.invokeinterface(FD_ACCESS, "setHandle", SET_HANDLE);
      cob.return_();
    }

    private void meta(CodeBuilder cob) {
      Label pass = cob.newLabel();
      TypeKind ret = TypeKind.from(type.returnType());
      ClassDesc wide = ret == TypeKind.BOOLEAN ? ClassDesc.ofDescriptor("I") : type.returnType();
      loadArgs(cob, 1);
      cob.invokestatic(FILE_BRIDGE, h.bridge(), type.changeReturnType(wide));
      switch (ret) {
        case LONG -> {
          cob.dup2();
          cob.loadConstant(Long.MIN_VALUE);
          cob.lcmp();
          cob.ifeq(pass);
        }
        case REFERENCE -> {
          cob.dup();
          cob.getstatic(FILE_BRIDGE, "PASS_LIST", type.returnType());
          cob.if_acmpeq(pass);
        }
        default -> {
          cob.dup();
          cob.iconst_m1();
          cob.if_icmpeq(pass);
        }
      }
      cob.return_(ret);
      cob.labelBinding(pass);
      if (ret == TypeKind.LONG) {
        cob.pop2();
      } else {
        cob.pop();
      }
    }

    private void loadArgs(CodeBuilder cob, int firstSlot) {
      int slot = firstSlot;
      for (ClassDesc p : type.parameterList()) {
        TypeKind k = TypeKind.from(p);
        cob.loadLocal(k, slot);
        slot += k.slotSize();
      }
    }
  }
}
