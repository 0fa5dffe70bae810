(** * The parameterizations users type, as members of the two-state family
      (theorem 1f of proofs/README.md, written proof proofs/parameterizations.md):
      torch.optim.SGD (1.13: momentum, dampening, weight decay, nesterov) and
      quasi-hyperbolic momentum (Ma and Yarats 2019, qhoptim).

      Vectors are maps I -> R on an arbitrary index type I, compared coordinate
      by coordinate; a gradient is any map G on them.  The trajectories are
      first related to the family in its "(alpha, p)" form
        x+ = x + beta (x - x-) - (alpha + p) G(x) + p G(x-),
      which holds for every G, then, for an affine G (G(x) = Q x + c), to
      x+ = x + beta (x - x-) - alpha G(x + gamma (x - x-)) with p = alpha gamma. *)
Require Import Reals Lra Psatz.
Require Import Momentum.Matrices Momentum.Quadratic Momentum.Regions Momentum.TwoState.
Open Scope R_scope.

(** ** The family, in both forms *)
Definition ts_step {I : Type} (alpha beta gamma : R) (G : (I -> R) -> I -> R)
  (x xm : I -> R) (i : I) : R :=
  x i + beta * (x i - xm i) - alpha * G (fun j => x j + gamma * (x j - xm j)) i.

Definition ts_grad_form {I : Type} (alpha beta p : R) (G : (I -> R) -> I -> R)
  (x xm : I -> R) (i : I) : R :=
  x i + beta * (x i - xm i) - (alpha + p) * G x i + p * G xm i.

(** G is affine: it maps affine combinations to affine combinations. *)
Definition affine {I : Type} (G : (I -> R) -> I -> R) : Prop :=
  forall (u v w : I -> R) (a : R), (forall j, w j = a * u j + (1 - a) * v j) ->
  forall i, G w i = a * G u i + (1 - a) * G v i.

(** Gradients of quadratics in eigen-coordinates, lambda_i z_i + c_i, are affine ... *)
Lemma affine_diag : forall (I : Type) (lam c : I -> R), affine (fun (x : I -> R) i => lam i * x i + c i).
Proof. intros I lam c u v w a Hw i. rewrite Hw. ring. Qed.

(** ... and so is G + wd I for an affine G (weight decay). *)
Lemma affine_weight_decay : forall (I : Type) (G : (I -> R) -> I -> R) wd, affine G ->
  affine (fun x i => G x i + wd * x i).
Proof. intros I G wd HG u v w a Hw i. rewrite (HG u v w a Hw i), Hw. ring. Qed.

(** For an affine gradient the family is its (alpha, p) form with p = alpha gamma. *)
Theorem ts_step_grad_form : forall (I : Type) alpha beta gamma (G : (I -> R) -> I -> R) x xm i,
  affine G -> ts_step alpha beta gamma G x xm i = ts_grad_form alpha beta (alpha * gamma) G x xm i.
Proof.
  intros I alpha beta gamma G x xm i HG. unfold ts_step, ts_grad_form.
  rewrite (HG x xm (fun j => x j + gamma * (x j - xm j)) (1 + gamma)) by (intros; ring).
  ring.
Qed.

(** The (alpha, p) form per eigenvalue: its matrix in state [x_t; x_{t-1}] and
    characteristic polynomial z^2 - (1 + beta - (alpha + p) lambda) z + (beta - p lambda).
    With p = alpha gamma it is ts_mat; p stays meaningful when alpha = 0. *)
Definition ts_mat_p (alpha beta p lambda : R) : M2 :=
  mk (1 + beta - (alpha + p) * lambda) (- (beta - p * lambda)) 1 0.

Theorem ts_mat_p_step : forall alpha beta p lambda (x xm : unit -> R),
  m11 (ts_mat_p alpha beta p lambda) * x tt + m12 (ts_mat_p alpha beta p lambda) * xm tt =
  ts_grad_form alpha beta p (fun y i => lambda * y i) x xm tt.
Proof. intros; unfold ts_mat_p, ts_grad_form; simpl; ring. Qed.

Theorem ts_mat_p_charpoly : forall alpha beta p lambda z,
  charpoly (ts_mat_p alpha beta p lambda) z = z * z - (1 + beta - (alpha + p) * lambda) * z + (beta - p * lambda).
Proof. intros; unfold charpoly, mtr, mdet, ts_mat_p; simpl; ring. Qed.

Theorem ts_mat_p_gamma : forall alpha beta gamma lambda,
  ts_mat_p alpha beta (alpha * gamma) lambda = ts_mat alpha beta gamma lambda.
Proof. intros; unfold ts_mat_p, ts_mat; apply mk_eq; ring. Qed.

(** ** torch.optim.SGD, version 1.13, with momentum m <> 0 (for m = 0 torch
    skips the buffer and takes x+ = x - lr d: gradient descent, dampening
    ignored).  d_t = G(x_t) + wd x_t; b_0 = d_0; b_{t+1} = m b_t + (1 - damp) d_{t+1};
    x_{t+1} = x_t - lr (d_t + m b_t) with nesterov, x_t - lr b_t without. *)
Definition sgd_dir {I : Type} (G : (I -> R) -> I -> R) (wd : R) (x : I -> R) (i : I) : R :=
  G x i + wd * x i.

Definition is_pytorch_sgd {I : Type} (lr m damp wd : R) (nesterov : bool)
  (G : (I -> R) -> I -> R) (x b : nat -> I -> R) : Prop :=
  (forall i, b O i = sgd_dir G wd (x O) i) /\
  (forall t i, b (S t) i = m * b t i + (1 - damp) * sgd_dir G wd (x (S t)) i) /\
  (forall t i, x (S t) i =
     x t i - lr * (if nesterov then sgd_dir G wd (x t) i + m * b t i else b t i)).

Definition torch_alpha (lr m damp : R) (nesterov : bool) : R :=
  if nesterov then lr * (1 - m * damp) else lr * (1 - damp).
Definition torch_p (lr m : R) (nesterov : bool) : R := if nesterov then lr * m else 0.

(** From t >= 1 the iterates follow the (alpha, p) form with beta = m and the
    gradient G + wd I; the first step x_1 = x_0 - lr (1 + m) d_0 (nesterov),
    x_0 - lr d_0 (not) is the change of start.  Holds for every G. *)
Theorem pytorch_sgd_grad_form : forall (I : Type) lr m damp wd nesterov
  (G : (I -> R) -> I -> R) (x b : nat -> I -> R),
  is_pytorch_sgd lr m damp wd nesterov G x b ->
  (forall i, x 1%nat i = x O i - lr * (if nesterov then 1 + m else 1) * sgd_dir G wd (x O) i) /\
  (forall t i, x (S (S t)) i =
     ts_grad_form (torch_alpha lr m damp nesterov) m (torch_p lr m nesterov)
                  (sgd_dir G wd) (x (S t)) (x t) i).
Proof.
  intros I lr m damp wd nesterov G x b [Hb0 [Hb Hx]]. split.
  - intros i. rewrite Hx, Hb0. destruct nesterov; ring.
  - intros t i. unfold ts_grad_form, torch_alpha, torch_p.
    rewrite (Hx (S t) i), (Hb t i).
    pose proof (Hx t i) as E.
    destruct nesterov.
    + (* lr m b_t = x_t - x_{t+1} - lr d_t *)
      assert (K : m * (lr * (m * b t i)) = m * (x t i - x (S t) i - lr * sgd_dir G wd (x t) i))
        by (rewrite E; ring).
      lra.
    + assert (K : m * (lr * b t i) = m * (x t i - x (S t) i)) by (rewrite E; ring).
      lra.
Qed.

(** For an affine gradient and torch_alpha <> 0 this is the family with
    alpha = torch_alpha, beta = m, gamma = torch_p / torch_alpha: without
    nesterov (lr (1 - damp), m, 0), with nesterov (lr (1 - m damp), m, m / (1 - m damp)). *)
Corollary pytorch_sgd_family : forall (I : Type) lr m damp wd nesterov
  (G : (I -> R) -> I -> R) (x b : nat -> I -> R),
  affine G -> torch_alpha lr m damp nesterov <> 0 ->
  is_pytorch_sgd lr m damp wd nesterov G x b ->
  forall t i, x (S (S t)) i =
    ts_step (torch_alpha lr m damp nesterov) m
            (torch_p lr m nesterov / torch_alpha lr m damp nesterov)
            (sgd_dir G wd) (x (S t)) (x t) i.
Proof.
  intros I lr m damp wd nesterov G x b HG Ha H t i.
  rewrite ts_step_grad_form by (apply affine_weight_decay; exact HG).
  destruct (pytorch_sgd_grad_form I lr m damp wd nesterov G x b H) as [_ Hs].
  rewrite Hs. unfold ts_grad_form. field_simplify_eq; [reflexivity | exact Ha].
Qed.

(** Per eigenvalue k of Q + wd I (gradient k x): torch's own matrix on [b; x]
    has the trace and determinant of ts_mat_p (torch_alpha, m, torch_p, k). *)
Definition P_torch (lr m damp : R) (nesterov : bool) (k : R) : M2 :=
  if nesterov then mk m ((1 - damp) * k) (- lr * m * m) (1 - lr * k - lr * m * (1 - damp) * k)
  else mk m ((1 - damp) * k) (- lr * m) (1 - lr * (1 - damp) * k).

Theorem pytorch_sgd_charpoly : forall lr m damp nesterov k z,
  mtr (P_torch lr m damp nesterov k) = mtr (ts_mat_p (torch_alpha lr m damp nesterov) m (torch_p lr m nesterov) k) /\
  mdet (P_torch lr m damp nesterov k) = mdet (ts_mat_p (torch_alpha lr m damp nesterov) m (torch_p lr m nesterov) k) /\
  charpoly (P_torch lr m damp nesterov k) z =
  z * z - (1 + m - (torch_alpha lr m damp nesterov + torch_p lr m nesterov) * k) * z
  + (m - torch_p lr m nesterov * k).
Proof.
  intros; unfold charpoly, mtr, mdet, P_torch, ts_mat_p, torch_alpha, torch_p;
  destruct nesterov; simpl; repeat split; ring.
Qed.

(** P_torch is torch's step on the state it stores after each call, the buffer
    and the parameters: [b_t; x_{t+1}] -> [b_{t+1}; x_{t+2}], for G(x) = k x, wd = 0. *)
Theorem pytorch_sgd_matrix_step : forall lr m damp nesterov k (x b : nat -> unit -> R),
  is_pytorch_sgd lr m damp 0 nesterov (fun y i => k * y i) x b ->
  forall t,
  b (S t) tt = m11 (P_torch lr m damp nesterov k) * b t tt + m12 (P_torch lr m damp nesterov k) * x (S t) tt /\
  x (S (S t)) tt = m21 (P_torch lr m damp nesterov k) * b t tt + m22 (P_torch lr m damp nesterov k) * x (S t) tt.
Proof.
  intros lr m damp nesterov k x b [_ [Hb Hx]] t. unfold sgd_dir in *.
  rewrite (Hx (S t) tt), (Hb t tt). unfold P_torch; destruct nesterov; simpl; split; ring.
Qed.

(** ** Quasi-hyperbolic momentum (Ma and Yarats 2019; qhoptim):
    g_{t+1} = beta g_t + (1 - beta) G(x_t),
    x_{t+1} = x_t - alpha ((1 - nu) G(x_t) + nu g_{t+1}).
    qhoptim starts from g_0 = 0; its weight decay ("grad" type) replaces G by G + wd I. *)
Definition is_qhm {I : Type} (alpha nu beta : R) (G : (I -> R) -> I -> R) (x g : nat -> I -> R) : Prop :=
  (forall t i, g (S t) i = beta * g t i + (1 - beta) * G (x t) i) /\
  (forall t i, x (S t) i = x t i - alpha * ((1 - nu) * G (x t) i + nu * g (S t) i)).

(** From t >= 1 QHM follows the (alpha, p) form with alpha_f = alpha (1 - beta),
    beta_f = beta, p = alpha beta (1 - nu), whatever g_0 is; the first step is
    x_1 = x_0 - alpha (1 - nu beta) G(x_0) - alpha nu beta g_0 (g_0 = 0 in qhoptim). *)
Theorem qhm_grad_form : forall (I : Type) alpha nu beta (G : (I -> R) -> I -> R) (x g : nat -> I -> R),
  is_qhm alpha nu beta G x g ->
  (forall i, x 1%nat i = x O i - alpha * (1 - nu * beta) * G (x O) i - alpha * nu * beta * g O i) /\
  (forall t i, x (S (S t)) i =
     ts_grad_form (alpha * (1 - beta)) beta (alpha * beta * (1 - nu)) G (x (S t)) (x t) i).
Proof.
  intros I alpha nu beta G x g [Hg Hx]. split.
  - intros i. rewrite Hx, Hg. ring.
  - intros t i. unfold ts_grad_form.
    rewrite (Hx (S t) i), (Hg (S t) i).
    (* alpha nu g_{t+1} = x_t - x_{t+1} - alpha (1 - nu) G(x_t) *)
    pose proof (Hx t i) as E.
    assert (K : beta * (alpha * (nu * g (S t) i)) =
                beta * (x t i - x (S t) i - alpha * (1 - nu) * G (x t) i)) by (rewrite E; ring).
    lra.
Qed.

(** For an affine gradient, alpha <> 0 and beta <> 1: the family with
    alpha_f = alpha (1 - beta), beta_f = beta, gamma_f = beta (1 - nu) / (1 - beta). *)
Corollary qhm_family : forall (I : Type) alpha nu beta (G : (I -> R) -> I -> R) (x g : nat -> I -> R),
  affine G -> alpha <> 0 -> beta <> 1 -> is_qhm alpha nu beta G x g ->
  forall t i, x (S (S t)) i =
    ts_step (alpha * (1 - beta)) beta (beta * (1 - nu) / (1 - beta)) G (x (S t)) (x t) i.
Proof.
  intros I alpha nu beta G x g HG Ha Hb H t i.
  rewrite ts_step_grad_form by exact HG.
  destruct (qhm_grad_form I alpha nu beta G x g H) as [_ Hs].
  rewrite Hs. unfold ts_grad_form.
  assert (Hb' : 1 - beta <> 0) by lra.
  field_simplify_eq; [reflexivity | exact Hb'].
Qed.

(** Per eigenvalue (gradient lambda x) QHM's matrix on [g; x] has the trace and
    determinant of ts_mat_p (alpha (1 - beta), beta, alpha beta (1 - nu), lambda). *)
Definition Q_qhm (alpha nu beta lambda : R) : M2 :=
  mk beta ((1 - beta) * lambda) (- alpha * nu * beta) (1 - alpha * lambda * (1 - nu * beta)).

Theorem qhm_matrix_step : forall alpha nu beta lambda (x g : nat -> unit -> R),
  is_qhm alpha nu beta (fun y i => lambda * y i) x g ->
  forall t,
  g (S t) tt = m11 (Q_qhm alpha nu beta lambda) * g t tt + m12 (Q_qhm alpha nu beta lambda) * x t tt /\
  x (S t) tt = m21 (Q_qhm alpha nu beta lambda) * g t tt + m22 (Q_qhm alpha nu beta lambda) * x t tt.
Proof.
  intros alpha nu beta lambda x g [Hg Hx] t.
  rewrite (Hx t tt), (Hg t tt). unfold Q_qhm; simpl; split; ring.
Qed.

Theorem qhm_charpoly : forall alpha nu beta lambda z,
  mtr (Q_qhm alpha nu beta lambda) = mtr (ts_mat_p (alpha * (1 - beta)) beta (alpha * beta * (1 - nu)) lambda) /\
  mdet (Q_qhm alpha nu beta lambda) = mdet (ts_mat_p (alpha * (1 - beta)) beta (alpha * beta * (1 - nu)) lambda) /\
  charpoly (Q_qhm alpha nu beta lambda) z =
  z * z - (1 + beta - alpha * (1 - nu * beta) * lambda) * z + (beta - alpha * beta * (1 - nu) * lambda).
Proof. intros; unfold charpoly, mtr, mdet, Q_qhm, ts_mat_p; simpl; repeat split; ring. Qed.
