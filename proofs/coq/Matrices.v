(** * 2x2 real matrices, the iteration matrices of the methods, the
      similarity R = T A T^{-1}, Cayley-Hamilton and the Jordan-block
      power formula (theorems 1 and 6 of proofs/README.md). *)
Require Import Reals Lra Psatz.
Open Scope R_scope.

Record M2 := mk { m11 : R; m12 : R; m21 : R; m22 : R }.

Definition mmul (X Y : M2) : M2 :=
  mk (m11 X * m11 Y + m12 X * m21 Y) (m11 X * m12 Y + m12 X * m22 Y)
     (m21 X * m11 Y + m22 X * m21 Y) (m21 X * m12 Y + m22 X * m22 Y).
Definition madd (X Y : M2) : M2 :=
  mk (m11 X + m11 Y) (m12 X + m12 Y) (m21 X + m21 Y) (m22 X + m22 Y).
Definition mscale (k : R) (X : M2) : M2 :=
  mk (k * m11 X) (k * m12 X) (k * m21 X) (k * m22 X).
Definition mI : M2 := mk 1 0 0 1.
Definition mO : M2 := mk 0 0 0 0.
Definition mtr (X : M2) : R := m11 X + m22 X.
Definition mdet (X : M2) : R := m11 X * m22 X - m12 X * m21 X.
(** X - z I *)
Definition mshift (X : M2) (z : R) : M2 := mk (m11 X - z) (m12 X) (m21 X) (m22 X - z).

Fixpoint mpow (X : M2) (n : nat) : M2 :=
  match n with O => mI | S k => mmul X (mpow X k) end.

(** Characteristic polynomial det(zI - X) = z^2 - tr X z + det X. *)
Definition charpoly (X : M2) (z : R) : R := z * z - mtr X * z + mdet X.

Lemma charpoly_det : forall X z,
  charpoly X z = (z - m11 X) * (z - m22 X) - m12 X * m21 X.
Proof. intros [p q r s] z; unfold charpoly, mtr, mdet; simpl; ring. Qed.

(** ** The iteration matrices (SPEC section 2) *)
(** heavy ball, state [x_t; x_{t-1}] *)
Definition A_hb (alpha beta lambda : R) : M2 :=
  mk (1 + beta - alpha * lambda) (- beta) 1 0.
(** velocity form (d2l, PyTorch), state [v; x] *)
Definition R_vel (beta eta lambda : R) : M2 :=
  mk beta lambda (- eta * beta) (1 - eta * lambda).
(** Nesterov, state [x_t; x_{t-1}], q = 1 - alpha lambda *)
Definition B_nes (alpha beta lambda : R) : M2 :=
  let q := 1 - alpha * lambda in mk ((1 + beta) * q) (- beta * q) 1 0.
(** companion matrix of z^2 + a1 z + a0 *)
Definition companion (a1 a0 : R) : M2 := mk (- a1) (- a0) 1 0.

Definition T_sim (eta : R) : M2 := mk (-1 / eta) (1 / eta) 1 0.
Definition Tinv_sim (eta : R) : M2 := mk 0 1 eta 1.

Lemma mk_eq : forall a b c d a' b' c' d',
  a = a' -> b = b' -> c = c' -> d = d' -> mk a b c d = mk a' b' c' d'.
Proof. intros; subst; reflexivity. Qed.

(** ** Theorem 1: R and A have the same trace, determinant, characteristic
    polynomial, and R = T A T^{-1}. *)
Theorem velocity_heavy_ball_same_trace_det : forall eta beta lambda,
  mtr (R_vel beta eta lambda) = mtr (A_hb eta beta lambda) /\
  mdet (R_vel beta eta lambda) = mdet (A_hb eta beta lambda).
Proof. intros; unfold mtr, mdet, R_vel, A_hb; simpl; split; ring. Qed.

Theorem velocity_heavy_ball_same_charpoly : forall eta beta lambda z,
  charpoly (R_vel beta eta lambda) z = charpoly (A_hb eta beta lambda) z.
Proof.
  intros; destruct (velocity_heavy_ball_same_trace_det eta beta lambda) as [H1 H2].
  unfold charpoly; rewrite H1, H2; reflexivity.
Qed.

(** Both equal z^2 - tau z + beta with tau = 1 + beta - eta lambda. *)
Theorem heavy_ball_charpoly : forall alpha beta lambda z,
  charpoly (A_hb alpha beta lambda) z = z * z - (1 + beta - alpha * lambda) * z + beta.
Proof. intros; unfold charpoly, mtr, mdet, A_hb; simpl; ring. Qed.

Theorem nesterov_charpoly : forall alpha beta lambda z,
  charpoly (B_nes alpha beta lambda) z =
  z * z - (1 + beta) * (1 - alpha * lambda) * z + beta * (1 - alpha * lambda).
Proof. intros; unfold charpoly, mtr, mdet, B_nes; simpl; ring. Qed.

Theorem companion_charpoly : forall a1 a0 z,
  charpoly (companion a1 a0) z = z * z + a1 * z + a0.
Proof. intros; unfold charpoly, mtr, mdet, companion; simpl; ring. Qed.

Theorem T_Tinv : forall eta, eta <> 0 ->
  mmul (T_sim eta) (Tinv_sim eta) = mI /\ mmul (Tinv_sim eta) (T_sim eta) = mI.
Proof.
  intros eta H; unfold mmul, T_sim, Tinv_sim, mI; simpl; split;
  apply mk_eq; field; auto.
Qed.

Theorem velocity_similar_heavy_ball : forall eta beta lambda, eta <> 0 ->
  R_vel beta eta lambda = mmul (mmul (T_sim eta) (A_hb eta beta lambda)) (Tinv_sim eta).
Proof.
  intros eta beta lambda H; unfold mmul, T_sim, Tinv_sim, A_hb, R_vel; simpl;
  apply mk_eq; field; auto.
Qed.

(** ** Generic facts *)
Lemma mmul_assoc : forall X Y Z, mmul X (mmul Y Z) = mmul (mmul X Y) Z.
Proof. intros [] [] []; unfold mmul; simpl; apply mk_eq; ring. Qed.

Lemma mmul_I_l : forall X, mmul mI X = X.
Proof. intros []; unfold mmul, mI; simpl; apply mk_eq; ring. Qed.

Lemma mmul_I_r : forall X, mmul X mI = X.
Proof. intros []; unfold mmul, mI; simpl; apply mk_eq; ring. Qed.

(** Conjugation commutes with powers. *)
Lemma mpow_conj : forall P Pinv X n, mmul Pinv P = mI -> mmul P Pinv = mI ->
  mpow (mmul (mmul P X) Pinv) n = mmul (mmul P (mpow X n)) Pinv.
Proof.
  intros P Pinv X n HP HP'; induction n as [|n IH].
  - simpl; rewrite mmul_I_r; symmetry; exact HP'.
  - simpl; rewrite IH.
    replace (mmul (mmul (mmul P X) Pinv) (mmul (mmul P (mpow X n)) Pinv))
      with (mmul (mmul (mmul P X) (mmul Pinv P)) (mmul (mpow X n) Pinv))
      by (rewrite !mmul_assoc; reflexivity).
    rewrite HP, mmul_I_r, !mmul_assoc; reflexivity.
Qed.

(** Cayley-Hamilton for 2x2 matrices: X^2 - tr(X) X + det(X) I = 0. *)
Theorem cayley_hamilton : forall X,
  madd (madd (mmul X X) (mscale (- mtr X) X)) (mscale (mdet X) mI) = mO.
Proof. intros []; unfold madd, mmul, mscale, mtr, mdet, mI, mO; simpl; apply mk_eq; ring. Qed.

(** If z is a double root of the characteristic polynomial (tr X = 2z,
    det X = z^2), then (X - zI)^2 = 0. *)
Theorem double_root_nilpotent : forall X z,
  mtr X = 2 * z -> mdet X = z * z -> mmul (mshift X z) (mshift X z) = mO.
Proof.
  intros [p q r s] z Htr Hdet; unfold mtr, mdet in *; simpl in *.
  unfold mmul, mshift, mO; simpl.
  assert (Hs : s = 2 * z - p) by lra. subst s.
  apply mk_eq; nra.
Qed.

(** Power formula: if (X - zI)^2 = 0 then X^t = z^t I + t z^(t-1) (X - zI). *)
Definition jordan_formula (X : M2) (z : R) (t : nat) : M2 :=
  madd (mscale (z ^ t) mI) (mscale (INR t * z ^ (pred t)) (mshift X z)).

Lemma pred_pow_step : forall (t : nat) (z : R),
  INR t * z ^ (pred t) * z = INR t * z ^ t.
Proof.
  intros [|t] z; simpl.
  - ring.
  - ring.
Qed.

Theorem jordan_power : forall X z,
  mmul (mshift X z) (mshift X z) = mO ->
  forall t : nat, mpow X t = jordan_formula X z t.
Proof.
  intros [p q r s] z HN t.
  unfold mmul, mshift, mO in HN; simpl in HN.
  injection HN as H1 H2 H3 H4.
  induction t as [|t IH].
  - unfold jordan_formula, madd, mscale, mI, mshift; simpl; apply mk_eq; ring.
  - change (mpow (mk p q r s) (S t)) with (mmul (mk p q r s) (mpow (mk p q r s) t)).
    rewrite IH. unfold jordan_formula.
    rewrite S_INR.
    pose proof (pred_pow_step t z) as Hp.
    replace (pred (S t)) with t by reflexivity.
    replace (z ^ S t) with (z * z ^ t) by reflexivity.
    set (c := INR t * z ^ pred t) in *.
    replace ((INR t + 1) * z ^ t) with (c * z + z ^ t) by (rewrite Hp; ring).
    clearbody c.
    unfold madd, mscale, mmul, mI, mshift; cbn [m11 m12 m21 m22].
    apply mk_eq; apply Rminus_diag_uniq;
    first [ match type of H1 with ?X = 0 => transitivity (c * X); [ring | rewrite H1; ring] end
          | match type of H2 with ?X = 0 => transitivity (c * X); [ring | rewrite H2; ring] end
          | match type of H3 with ?X = 0 => transitivity (c * X); [ring | rewrite H3; ring] end
          | match type of H4 with ?X = 0 => transitivity (c * X); [ring | rewrite H4; ring] end ].
Qed.

Lemma mshift_companion_nonzero : forall a1 a0 z, mshift (companion a1 a0) z <> mO.
Proof.
  intros a1 a0 z H; unfold mshift, companion, mO in H; injection H; intros; lra.
Qed.

(** ** Theorem 6: at a double root a 2x2 companion matrix (heavy ball A,
    Nesterov B) is a non-trivial Jordan block. *)
Theorem companion_double_root_jordan : forall a1 a0,
  a1 * a1 - 4 * a0 = 0 ->
  let z := - a1 / 2 in
  mshift (companion a1 a0) z <> mO /\
  mmul (mshift (companion a1 a0) z) (mshift (companion a1 a0) z) = mO /\
  forall t, mpow (companion a1 a0) t = jordan_formula (companion a1 a0) z t.
Proof.
  intros a1 a0 HD z.
  assert (HN : mmul (mshift (companion a1 a0) z) (mshift (companion a1 a0) z) = mO).
  { apply double_root_nilpotent; unfold mtr, mdet, companion, z; simpl; nra. }
  split; [apply mshift_companion_nonzero | split; [exact HN | apply jordan_power; exact HN]].
Qed.

Lemma A_hb_companion : forall alpha beta lambda,
  A_hb alpha beta lambda = companion (- (1 + beta - alpha * lambda)) beta.
Proof. intros; unfold A_hb, companion; apply mk_eq; ring. Qed.

Lemma B_nes_companion : forall alpha beta lambda,
  B_nes alpha beta lambda =
  companion (- ((1 + beta) * (1 - alpha * lambda))) (beta * (1 - alpha * lambda)).
Proof. intros; unfold B_nes, companion; apply mk_eq; ring. Qed.

(** Heavy ball at Delta = tau^2 - 4 beta = 0: root z = tau/2. *)
Theorem heavy_ball_double_root_jordan : forall alpha beta lambda,
  let tau := 1 + beta - alpha * lambda in
  tau * tau - 4 * beta = 0 ->
  let z := tau / 2 in
  let A := A_hb alpha beta lambda in
  mshift A z <> mO /\ mmul (mshift A z) (mshift A z) = mO /\
  forall t, mpow A t = jordan_formula A z t.
Proof.
  intros alpha beta lambda tau HD z A.
  pose proof (companion_double_root_jordan (- tau) beta) as H.
  replace (- - tau / 2) with z in H by (unfold z; field).
  unfold A; rewrite A_hb_companion; apply H; unfold tau in *; nra.
Qed.

(** Nesterov at its double root. *)
Theorem nesterov_double_root_jordan : forall alpha beta lambda,
  let q := 1 - alpha * lambda in
  ((1 + beta) * q) * ((1 + beta) * q) - 4 * (beta * q) = 0 ->
  let z := (1 + beta) * q / 2 in
  let B := B_nes alpha beta lambda in
  mshift B z <> mO /\ mmul (mshift B z) (mshift B z) = mO /\
  forall t, mpow B t = jordan_formula B z t.
Proof.
  intros alpha beta lambda q HD z B.
  pose proof (companion_double_root_jordan (- ((1 + beta) * q)) (beta * q)) as H.
  replace (- - ((1 + beta) * q) / 2) with z in H by (unfold z; field).
  unfold B; rewrite B_nes_companion; apply H; unfold q in *; nra.
Qed.

(** Velocity form at a double root: R - zI is non-zero, (R - zI)^2 = 0, and
    the same power formula holds (R = T A T^{-1}). *)
Theorem velocity_double_root_jordan : forall eta beta lambda,
  eta <> 0 ->
  let tau := 1 + beta - eta * lambda in
  tau * tau - 4 * beta = 0 ->
  let z := tau / 2 in
  let Rm := R_vel beta eta lambda in
  mshift Rm z <> mO /\ mmul (mshift Rm z) (mshift Rm z) = mO /\
  forall t, mpow Rm t = jordan_formula Rm z t.
Proof.
  intros eta beta lambda Heta tau HD z Rm.
  assert (HN : mmul (mshift Rm z) (mshift Rm z) = mO).
  { apply double_root_nilpotent; unfold Rm, R_vel, mtr, mdet, z, tau in *; simpl; nra. }
  split; [| split; [exact HN | apply jordan_power; exact HN]].
  intro H0.
  (* A - zI = T^{-1} (R - zI) T would vanish; but A - zI has a 1 in position (2,1) *)
  unfold Rm, R_vel, mshift, mO in H0; injection H0 as E1 E2 E3 E4.
  (* m21 of R is -eta beta = 0, so beta = 0; m11: beta - z = 0 so z = 0;
     m12: lambda = 0; then tau = 1 and z = 1/2, contradiction. *)
  assert (Hb : beta = 0).
  { destruct (Req_dec beta 0) as [|Hb]; [assumption|].
    exfalso; apply (Rmult_integral_contrapositive_currified eta beta Heta Hb); lra. }
  subst beta. unfold z, tau in *. rewrite E2 in E1. lra.
Qed.

(** PyTorch's nesterov=True: b+ = mu b + g, theta+ = theta - gamma (g + mu b+).
    Per eigenvalue, state [b; theta]: the matrix below.  It has the trace and
    determinant of B_nes with alpha = gamma, beta = mu, hence the same spectrum. *)
Definition P_torch_nes (gamma mu lambda : R) : M2 :=
  mk mu lambda (- gamma * mu * mu) (1 - gamma * lambda - gamma * mu * lambda).

Theorem pytorch_nesterov_same_charpoly : forall gamma mu lambda z,
  mtr (P_torch_nes gamma mu lambda) = mtr (B_nes gamma mu lambda) /\
  mdet (P_torch_nes gamma mu lambda) = mdet (B_nes gamma mu lambda) /\
  charpoly (P_torch_nes gamma mu lambda) z = charpoly (B_nes gamma mu lambda) z.
Proof.
  intros; unfold charpoly, mtr, mdet, P_torch_nes, B_nes; simpl; repeat split; ring.
Qed.
