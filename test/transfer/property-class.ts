/**
 * A class whose property getter and setter share the qualified name `Opt.lr`, and a method
 * `Opt.step` that bugs change: two definitions of one name must not be taken for one another.
 */
export const PROPERTY_CLASS = `class Opt:

    def __init__(self, lr):
        self._lr = lr

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = value

    def step(self, grad):
        scaled = grad * self._lr
        update = -scaled
        return update
`;

/** The bug in `Opt.step`: the update is not negated. */
export const PROPERTY_CLASS_PATCHED = PROPERTY_CLASS.replace('update = -scaled', 'update = scaled');
